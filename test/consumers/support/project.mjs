// A consumer's project, as a new user has it: a fresh folder in the temp dir whose
// node_modules holds the package installed from the tarball of `npm pack` (never this
// checkout), plus the tools the case needs. Tools are not installed again: each is a
// symlink, in the folder ABOVE the project, to this repository's devDependency, so Node
// finds it by walking up while the project's own node_modules holds only what
// `npm install <tarball>` put there.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../runtimes/support/exports.mjs';

const exec = promisify(execFile);
export const appsDir = join(packageRoot, 'test/consumers/apps');

let packed;
/**
 * The tarball of `npm pack` of this checkout (its dist/ must be built). `npm test` packs
 * once for every case (MPL_CONSUMER_TARBALL); a case file run alone packs for itself.
 */
export function tarball() {
  packed ??= process.env.MPL_CONSUMER_TARBALL
    ? Promise.resolve(process.env.MPL_CONSUMER_TARBALL)
    : packTarball(join(tmpdir(), `mpl-pack-${process.pid}`));
  return packed;
}

/** Runs `npm pack` into `dir`; resolves with the tarball's path. */
export async function packTarball(dir) {
  await mkdir(dir, { recursive: true });
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: packageRoot, maxBuffer: 16 << 20 });
  return join(dir, JSON.parse(stdout)[0].filename);
}

/**
 * Makes `<tmp>/<name>/app`: copies `files` (app-relative path → file under
 * test/consumers/apps, or `{ text }`) into it, writes its package.json, links `tools`
 * (package names of this repository's devDependencies) into `<tmp>/<name>/node_modules`,
 * and installs the tarball with npm. Resolves with `{ dir, run(cmd, args, opts), remove() }`.
 */
export async function makeProject(name, { files = {}, tools = [], packageJson = {} } = {}) {
  const base = await mkdtemp(join(tmpdir(), `mpl-consumer-${name}-`));
  const dir = join(base, 'app');
  await mkdir(dir, { recursive: true });
  for (const tool of tools) {
    const link = join(base, 'node_modules', tool);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(packageRoot, 'node_modules', tool), link, 'dir');
  }
  for (const [to, from] of Object.entries(files)) {
    await mkdir(dirname(join(dir, to)), { recursive: true });
    if (typeof from === 'string') await cp(join(appsDir, from), join(dir, to));
    else await writeFile(join(dir, to), from.text);
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module', ...packageJson }, null, 2));
  // From the local cache (the repository's `npm ci` filled it with `ws`), no audit, no scripts.
  await exec('npm', ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', await tarball()], { cwd: dir, maxBuffer: 16 << 20 });
  return {
    dir,
    base,
    /** Runs a command in the project; rejects with its output when it fails. */
    run: (cmd, args, opts = {}) => exec(cmd, args, { cwd: dir, maxBuffer: 64 << 20, timeout: 240_000, ...opts, env: { ...process.env, NO_COLOR: '1', ...opts.env } }),
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** Path of a tool's file in this repository's node_modules (e.g. a CLI's bin script). */
export const toolPath = (relative) => join(packageRoot, 'node_modules', relative);

/** Every file under `dir` (a build output), relative to it. */
export const filesOf = async (dir) => (await readdir(dir, { recursive: true, withFileTypes: true }))
  .filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
