// The README's per-runtime examples are the consumer cases' own files: each block between
// `<!-- example: <path> -->` and `<!-- /example -->` is that file (under
// test/consumers/apps/) in a fenced code block. `npm run readme` rewrites the blocks;
// test/consumers/readme.test.mjs fails when the README and the files differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { packageRoot } from '../../runtimes/support/exports.mjs';

export const readmePath = join(packageRoot, 'README.md');
const BLOCK = /<!-- example: (\S+) -->\n[\s\S]*?<!-- \/example -->/g;
const FENCE = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.ts': 'ts', '.html': 'html', '.toml': 'toml', '.json': 'json' };

/** The app files the README shows, in order. */
export const exampleFiles = (text) => [...text.matchAll(BLOCK)].map((m) => m[1]);

/** `text` with every example block filled from its file. */
export function renderExamples(text) {
  return text.replace(BLOCK, (_, file) => {
    const code = readFileSync(join(packageRoot, 'test/consumers/apps', file), 'utf8').trimEnd();
    return `<!-- example: ${file} -->\n\`\`\`${FENCE[extname(file)] ?? ''}\n${code}\n\`\`\`\n<!-- /example -->`;
  });
}

if (process.argv.includes('--write')) {
  writeFileSync(readmePath, renderExamples(readFileSync(readmePath, 'utf8')));
  console.log(`README.md: ${exampleFiles(readFileSync(readmePath, 'utf8')).length} examples written`);
}
