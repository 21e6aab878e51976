// `node esbuild.mjs`: bundles the Worker for workerd with esbuild, as wrangler does (the
// package's `workerd` condition), copying blake3.wasm beside the bundle.
import { build } from 'esbuild';

await build({
  entryPoints: ['worker.js'],
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  conditions: ['workerd', 'worker', 'browser'],
  loader: { '.wasm': 'copy' }, // the import stays an import of the copied file: workerd compiles it
});
