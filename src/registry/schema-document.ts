import { dereference, validate, type Schema } from '@cfworker/json-schema';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import type { SType } from '../protocol/stype.ts';
import { toIssues, type SchemaIndex } from './issues.ts';
import { META_SCHEMA } from './meta-schema.ts';

let meta: SchemaIndex | undefined;

function metaSchema(): SchemaIndex {
  if (!meta) {
    const root = structuredClone(META_SCHEMA) as Schema;
    meta = { root, lookup: dereference(root) };
  }
  return meta;
}

/**
 * Checks that what a registry returned for `stype` is a usable JSON Schema: an object,
 * with `$id` absent or `urn:stype:<id>`, whose keywords have the right shapes. Returns it
 * unchanged; throws `E-REGISTRY` naming the SType and `where` otherwise.
 */
export function checkSchema(stype: SType, value: unknown, where: string): object {
  const refuse = (problem: string): never => {
    throw new MplError(ErrorCode.Registry, `The schema of ${stype.id} at ${where} ${problem}`, {
      details: { stype: stype.id, where },
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('is not a JSON object');
  const id = (value as { $id?: unknown }).$id;
  if (id !== undefined && id !== stype.urn) refuse(`declares "$id": ${JSON.stringify(id)}; expected "${stype.urn}"`);
  const index = metaSchema();
  const result = validate(value, index.root, '2020-12', index.lookup, false);
  if (!result.valid) {
    const issues = toIssues(result.errors, index);
    refuse(`is not a valid JSON Schema: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
  return value as object;
}
