// The validation engine (@cfworker/json-schema and what turns its output into issues),
// loaded on demand: a page that never validates never downloads it.
import { dereference, validate, type Schema } from '@cfworker/json-schema';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { toIssues, type SchemaIndex } from './issues.ts';
import { META_SCHEMA } from './meta-schema.ts';

export { CompiledSchema } from './compiled-schema.ts';

let meta: SchemaIndex | undefined;

/** Why `schema` is not a valid registry schema (keywords of the wrong shape), `[]` if it is. */
export function metaSchemaIssues(schema: unknown): ValidationIssue[] {
  if (!meta) {
    const root = structuredClone(META_SCHEMA) as Schema;
    meta = { root, lookup: dereference(root) };
  }
  const result = validate(schema, meta.root, '2020-12', meta.lookup, false);
  return result.valid ? [] : toIssues(result.errors, meta);
}
