// The repository's registry/ folder as test cases: each SType with its examples (must
// validate) and negatives (must fail, at exactly the paths negative.expected.json lists).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_DIR } from './registry-server.ts';

export interface StypeCases {
  id: string;
  dir: string;
  schema: Record<string, unknown>;
  examples: { file: string; payload: unknown }[];
  negatives: { file: string; payload: unknown; paths: string[] | undefined }[];
  expectedFiles: string[];
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const jsonFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);

export function registryTree(root = REGISTRY_DIR): StypeCases[] {
  const out: StypeCases[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sub = join(dir, entry.name);
      if (existsSync(join(sub, 'schema.json'))) {
        const expectedFile = join(sub, 'negative.expected.json');
        const expected = (existsSync(expectedFile) ? readJson(expectedFile) : {}) as Record<string, string[]>;
        out.push({
          id: [...parts, entry.name].join('.'),
          dir: sub,
          schema: readJson(join(sub, 'schema.json')) as Record<string, unknown>,
          examples: jsonFiles(join(sub, 'examples')).map((file) => ({ file, payload: readJson(join(sub, 'examples', file)) })),
          negatives: jsonFiles(join(sub, 'negative')).map((file) => ({ file, payload: readJson(join(sub, 'negative', file)), paths: expected[file] })),
          expectedFiles: Object.keys(expected).sort(),
        });
      } else walk(sub, [...parts, entry.name]);
    }
  };
  walk(join(root, 'stypes'), []);
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export const sortedPaths = (issues: { path: string }[]) => [...new Set(issues.map((i) => i.path))].sort();
