// TypeScript users of the packed package: their code and the package's declarations
// compile under strict settings with `nodenext` and `bundler` resolution, and in a
// Node-only project without the DOM types (skipLibCheck false); the README's JavaScript
// examples pass checkJs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeProject, toolPath } from './support/project.mjs';

const configs = {
  nodenext: 'module and moduleResolution nodenext, strict',
  bundler: 'moduleResolution bundler, strict, no @types',
  'node-only': 'Node only: lib es2023, types node, no DOM',
  checkjs: 'the README\'s JavaScript examples under checkJs, strict but for implicit any (plain JS)',
};

describe('TypeScript projects that installed the packed package', { concurrency: 3 }, () => {
  let project;
  before(async () => {
    const files = { 'main.ts': 'typescript/main.ts', 'ws-main.ts': 'typescript/ws-main.ts', 'node-main.mjs': 'node/main.mjs', 'node-main.cjs': 'node/main.cjs', 'node-qom.mjs': 'node/qom.mjs', 'browser-main.mjs': 'browser/main.js', 'worker.mjs': 'worker/worker.js' };
    for (const name of Object.keys(configs)) files[`tsconfig.${name}.json`] = `typescript/tsconfig.${name}.json`;
    project = await makeProject('typescript', { files, tools: ['typescript', '@types/node', '@types/ws'] });
  });
  after(() => project?.remove());

  for (const [name, what] of Object.entries(configs)) {
    it(`tsc -p tsconfig.${name}.json (${what}; skipLibCheck false) reports nothing`, async () => {
      const result = await project.run(process.execPath, [toolPath('typescript/bin/tsc'), '-p', `tsconfig.${name}.json`]).catch((error) => error);
      assert.equal(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), '', 'no diagnostics');
    });
  }
});
