// Deno stage: builds a throw-away Deno project the way a Deno user's looks after
// installing the package (package.json dependency + node_modules/mpl-sdk, deno.json with
// "nodeModulesDir": "manual"), then runs the runner with --allow-net only. Nothing is
// fetched from a registry: `npm:mpl-sdk` resolves to the local node_modules folder.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, readPackageJson } from '../support/exports.mjs';
import { runRunner } from '../support/subprocess.mjs';

export const name = 'deno';

/** Creates the project folder; returns its path. The caller removes it. */
export async function makeDenoProject(imports = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'mpl-deno-'));
  await mkdir(join(dir, 'node_modules'));
  await symlink(packageRoot, join(dir, 'node_modules', 'mpl-sdk'), 'dir');
  const pkg = readPackageJson();
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'deno-user-project', private: true, dependencies: { 'mpl-sdk': pkg.version } }));
  await writeFile(join(dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual', imports }));
  return dir;
}

/** The arguments of `deno run` for a script in such a project: network only. */
export function denoRunArgs(dir, script, args = []) {
  return ['run', '--allow-net', '--no-prompt', '--no-lock', '--config', join(dir, 'deno.json'), script, ...args];
}

export const denoBin = join(packageRoot, 'node_modules/.bin/deno');
export const denoEnv = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };

export async function run(env) {
  const dir = await makeDenoProject({ 'mpl-sdk-second-copy': env.secondCopyUrl.deno });
  try {
    return await runRunner(denoBin, denoRunArgs(dir, join(packageRoot, 'test/runtimes/deno/runner.mjs'), [JSON.stringify(env)]), { cwd: dir, env: denoEnv });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
