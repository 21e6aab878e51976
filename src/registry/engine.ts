// The validation engine (@cfworker/json-schema and what turns its output into issues), loaded
// on demand (src/registry/load-engine.ts): a page that never validates never downloads it.
// Compiled schemas, compiling an SType's schema from a registry, checking a schema document.
export { CompiledSchema } from './compiled-schema.ts';
export { compileSchema } from './compile.ts';
export { checkSchema } from './schema-document.ts';
