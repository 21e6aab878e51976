// SType registry and schema validation.
export type { Registry } from './registry.ts';
export { embeddedRegistry } from './embedded.ts';
export { directoryRegistry } from './directory.ts';
export { httpRegistry, type HttpRegistryOptions } from './http.ts';
export { resolveRegistry, type ResolveRegistryOptions } from './resolve.ts';
export { SchemaValidator } from './schema-validator.ts';
