// Builds dist/: the universal ESM bundle (index.js), the workerd entry (workerd.js),
// one .d.ts for the public API, and source maps. Dependencies are bundled in so a web
// page can import dist/index.js with no import map; only `ws` (Node 20 without a global
// WebSocket) stays outside, reached through a dynamic import at run time.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const external = (id) => id === 'ws' || id.startsWith('node:') || id.endsWith('.wasm');

export default [
  {
    input: { index: 'src/index.ts', workerd: 'src/index.workerd.ts' },
    external,
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'], preferBuiltins: false }),
      esbuild({ target: 'es2022', sourceMap: true }),
    ],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
    },
    treeshake: { moduleSideEffects: false },
  },
  {
    input: 'src/index.ts',
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
