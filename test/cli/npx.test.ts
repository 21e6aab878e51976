// `npx mpl-sdk` in a project that installed the packed tarball, as a user gets it: the bin
// runs, `check` has its engine (no devDependency of the repo is there), and `types` without
// the optional peer json-schema-to-typescript says how to get it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { semanticHash } from '../../src/index.ts';
import { runProcess } from './support.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const exec = promisify(execFile);
// npm run by `npm test` passes its own settings down; the consumer project must not see them.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));

const npx = (cwd: string, args: string[], stdin = '') => runProcess('npx', ['--no-install', 'mpl-sdk', ...args], { cwd, env, stdin });

describe('npx mpl-sdk from the installed tarball', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mpl-npx-'));
    const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, env });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, stdout.trim())], { cwd: dir, env });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs: --help, and hash of stdin', async () => {
    const help = await npx(dir, ['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: mpl-sdk <command>/);
    const hash = await npx(dir, ['hash'], '{"b":2,"a":1}');
    assert.equal(hash.code, 0, hash.stderr);
    assert.equal(hash.stdout, `{"a":1,"b":2}\n${await semanticHash({ a: 1, b: 2 })}\n`);
  });

  it('check finds a $ref that leads nowhere though no example reaches it (its engine is in the package: devDependencies are not installed)', async () => {
    const registry = join(dir, 'registry');
    const stype = join(registry, 'stypes/d/x/NoDefs/v1');
    await mkdir(join(stype, 'examples'), { recursive: true });
    await writeFile(join(stype, 'schema.json'), JSON.stringify({ $id: 'urn:stype:d.x.NoDefs.v1', type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }));
    await writeFile(join(stype, 'examples/other.json'), '{"b":1}');
    const run = await npx(dir, ['check', registry]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /schema\.json: \$ref "#\/\$defs\/missing" at #\/properties\/a leads nowhere/);
  });

  it('types, without the optional peer json-schema-to-typescript: one line saying how to install it, exit 1', async () => {
    const run = await npx(dir, ['types', join(root, 'test/types/registry')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'mpl-sdk types: json-schema-to-typescript is not installed; it generates the types: npm install --save-dev json-schema-to-typescript\n');
  });
});
