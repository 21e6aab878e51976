// The validation engine, loaded on demand (src/registry/load-engine.ts): a page that never
// validates never downloads it. Compiled schemas, compiling an SType's schema from a
// registry, checking a schema document. It passes valid payloads through each schema's fast
// check (src/registry/fast-check.ts); @cfworker/json-schema's `validate`, and what turns its
// output into issues, are a chunk of their own (src/registry/full-check.ts), loaded the first
// time a payload is one the fast check cannot pass (an invalid one, say).
export { CompiledSchema } from './compiled-schema.ts';
export { compileSchema } from './compile.ts';
export { checkSchema } from './schema-document.ts';
