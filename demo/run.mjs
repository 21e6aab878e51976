#!/usr/bin/env node
// `npm run demo`: builds dist/ when it is missing or older than the sources, then runs the
// walkthrough (demo/walkthrough.ts) through tsx. Arguments pass through (`-- --serve`).
import { spawnSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = newest(join(root, 'dist/index.js'));
const sources = Math.max(...['src', 'registry', 'wasm', 'rollup.config.mjs', 'package.json'].map((p) => newest(join(root, p))));
if (built === 0 || built < sources) {
  console.log(built === 0 ? 'dist/ is missing: building…' : 'dist/ is older than the sources: rebuilding…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'demo/walkthrough.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the child through the terminal's process group; stay alive until it exits.
process.on('SIGINT', () => {});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
