// The README as the npm page shows it (the copy inside the packed tarball): it starts with
// the install line, then one working example per runtime, and those examples are the
// consumer cases' own files (no drift: `npm run readme` rewrites them); every relative link
// names a file the tarball holds.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { exampleFiles, readmePath, renderExamples } from './support/readme-examples.mjs';
import { tarball } from './support/project.mjs';

const exec = promisify(execFile);
const here = import.meta.dirname;

describe('the published README', () => {
  let readme;
  let packed;
  before(async () => {
    const tgz = await tarball();
    packed = (await exec('tar', ['-tzf', tgz])).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    readme = (await exec('tar', ['-xzOf', tgz, 'package/README.md'], { maxBuffer: 16 << 20 })).stdout;
  });

  it('is the README of the repository', () => {
    assert.equal(readme, readFileSync(readmePath, 'utf8'));
  });

  it('starts with `npm install mpl-sdk`, then an example per runtime: a web page, a Worker, Deno, Node', () => {
    const firstBlock = /```\w*\n([^\n]*)/.exec(readme)?.[1];
    assert.equal(firstBlock, 'npm install mpl-sdk');
    const headings = [...readme.matchAll(/^### (.*)$/gm)].map((m) => m[0]).slice(0, 4).join('\n');
    assert.match(headings, /^### A web page.*\n### A Cloudflare Worker.*\n### Deno.*\n### Node.*$/);
  });

  it('its examples are the consumer cases\' files, unchanged (`npm run readme` after editing them)', () => {
    assert.equal(readme, renderExamples(readme));
  });

  it('every example file is run by a consumer case', () => {
    const cases = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && f !== 'readme.test.mjs').map((f) => readFileSync(join(here, f), 'utf8')).join('\n');
    const files = exampleFiles(readme);
    assert.ok(files.length >= 4);
    for (const file of files) assert.ok(cases.includes(`'${file}'`) || cases.includes(`./apps/${file}`), `${file} is used by a test/consumers case`);
  });

  it('every relative link names a file in the tarball', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
    for (const link of links) assert.ok(packed.includes(link.replace(/^\.\//, '').split('#')[0]), `${link} is in the tarball`);
  });
});
