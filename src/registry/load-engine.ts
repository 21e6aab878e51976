import { onDemand } from '../platform/on-demand.ts';

/** The validation engine (@cfworker/json-schema), a chunk of its own loaded with the first schema. */
export const loadEngine = /* @__PURE__ */ onDemand('schema validator engine', () => import('./engine.ts'));
