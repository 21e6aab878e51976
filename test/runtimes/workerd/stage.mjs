// workerd stage: bundles test/runtimes/workerd/worker.mjs (plus a second copy of the
// package as its own module), runs it in workerd through miniflare and asks it for results.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { packageRoot } from '../support/exports.mjs';
import { bundleWorker, workerdOptions } from './bundle.mjs';

export const name = 'workerd';

export async function run(env) {
  const dir = await mkdtemp(join(tmpdir(), 'mpl-workerd-'));
  let mf;
  try {
    const { nodeImports, packageFiles } = await bundleWorker(join(packageRoot, 'test/runtimes/workerd/worker.mjs'), dir, { external: ['./sdk-copy.mjs'] });
    if (nodeImports.length) console.log(`  ! [workerd] the Worker bundle imports Node built-ins; wrangler warns they throw unless nodejs_compat is on: ${nodeImports.join(', ')}`);
    await bundleWorker(undefined, dir, { outName: 'sdk-copy.mjs', stdin: "export * from 'mpl-sdk';" });
    mf = new Miniflare({ ...(await workerdOptions(dir)), bindings: { CONFORMANCE_ENV: JSON.stringify(env) } });
    const response = await mf.dispatchFetch('http://conformance.test/run');
    const text = await response.text();
    if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 2000)}`);
    return { ...JSON.parse(text), entry: `bundled: ${packageFiles.join(', ')}` };
  } catch (error) {
    return { passed: 0, failed: 1, results: [{ name: 'runner: the Worker starts and runs the suite', ok: false, error: String(error?.stack ?? error) }] };
  } finally {
    await mf?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
