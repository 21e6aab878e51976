import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';
import type { SType } from '../protocol/stype.ts';
import { CompiledSchema } from './compiled-schema.ts';
import { META_SCHEMA } from './meta-schema.ts';
import { copySchema } from './registry.ts';

// Part of the validation engine's chunk (src/registry/engine.ts): registries call it through loadEngine.

let meta: CompiledSchema | undefined;

/**
 * Why `schema` is not a valid registry schema (keywords of the wrong shape), `[]` if it is:
 * the fast check passes a valid one (the full check loads only for one it cannot pass).
 */
async function metaSchemaIssues(schema: unknown): Promise<ValidationIssue[]> {
  meta ??= new CompiledSchema(copySchema(META_SCHEMA), []);
  const issues = meta.check(schema);
  if (issues !== undefined) return issues;
  await meta.loadFullCheck();
  return meta.check(schema)!;
}

/**
 * Checks that what a registry returned for `stype` is a usable JSON Schema: an object,
 * with `$id` absent or `urn:stype:<id>`, whose keywords have the right shapes. Resolves to
 * it unchanged; throws `E-REGISTRY` naming the SType and `where` otherwise.
 */
export async function checkSchema(stype: SType, value: unknown, where: string): Promise<object> {
  const refuse = (problem: string): never => {
    throw new MplError(ErrorCode.Registry, `The schema of ${stype.id} at ${where} ${problem}`, {
      details: { stype: stype.id, where },
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('is not a JSON object');
  const id = (value as { $id?: unknown }).$id;
  if (id !== undefined && id !== stype.urn) refuse(`declares "$id": ${JSON.stringify(id)}; expected "${stype.urn}"`);
  const issues = await metaSchemaIssues(value);
  if (issues.length > 0) refuse(`is not a valid JSON Schema: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  return value as object;
}
