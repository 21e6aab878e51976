import { onDemand } from '../platform/on-demand.ts';

// Where the validator engine's chunk (src/registry/engine.ts) finds the full check
// (src/registry/full-check.ts), a chunk of its own: `fullCheck()` answers synchronously once
// it has loaded, so that compiled schemas keep a synchronous `check`.

type FullCheck = typeof import('./full-check.ts');

let loaded: FullCheck | undefined;

/** The full check if it has loaded; `undefined` before (then {@link loadFullCheck}). */
export const fullCheck = (): FullCheck | undefined => loaded;

/** Loads the full check (once; a failed load rejects with `E-MODULE-LOAD` and the next call tries again). */
export const loadFullCheck = /* @__PURE__ */ onDemand('full schema check', () => import('./full-check.ts').then((module) => (loaded = module)));
