// webpack 5 with its defaults for a web app: the package's `browser` build, and the
// `new URL('./blake3.wasm', import.meta.url)` inside it emitted as an asset.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  target: 'web',
  entry: './main.js',
  output: { path: fileURLToPath(new URL('./dist/', import.meta.url)), clean: true },
};
