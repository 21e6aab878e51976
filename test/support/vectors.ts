// The reference's 600 hash vectors in each layout (test/fixtures, copied from the shared
// conformance data): the current layout (`1e+20`) and the legacy one (`1e20`).
import { readFileSync } from 'node:fs';
import type { HashLayout } from '../../src/hashing/index.ts';

export interface Vector { input: string; canonical: string; hash: string }

const read = (file: string): Vector[] => readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Vector);

export const vectorSets: Readonly<Record<HashLayout, readonly Vector[]>> = {
  current: read('canonical-vectors.jsonl'),
  legacy: read('canonical-vectors-legacy.jsonl'),
};

/** The inputs whose hash depends on the layout, with the hash of each layout. */
export const layoutVectors: ReadonlyArray<{ input: string; current: string; legacy: string }> = vectorSets.current
  .map((v, i) => ({ input: v.input, current: v.hash, legacy: vectorSets.legacy[i]!.hash }))
  .filter((v) => v.current !== v.legacy);
