// Where a JSON Schema holds subschemas, as the validator evaluates them: one walk for the
// engine's reference loading, `mpl-sdk check` and the type generator. No dependency, so the
// CLI and the codegen import it without the engine.

/** Keywords whose value is one subschema (2020-12 and draft 7). */
export const ONE_SUBSCHEMA = new Set(['additionalItems', 'unevaluatedItems', 'items', 'contains', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'not', 'if', 'then', 'else']);
/** Keywords whose value is a list of subschemas (`items` too, in draft 7). */
export const SUBSCHEMA_LIST = new Set(['prefixItems', 'items', 'allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to subschemas. */
export const SUBSCHEMA_MAP = new Set(['$defs', 'definitions', 'properties', 'patternProperties', 'dependentSchemas', 'dependencies']);

/** A member name as a JSON Pointer segment (RFC 6901). */
export const pointerSegment = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Calls `visit` with every subschema object of `schema` the validator evaluates, and its
 * JSON Pointer, parents before children. Every other member is data or an annotation
 * (`examples`, `default`, `const`, `x-…`): a `$ref` in it is JSON, not a reference.
 * `visit` may change the subschema it is given: the walk reads its members afterwards.
 */
export function walkSubschemas(schema: unknown, visit: (sub: Record<string, unknown>, pointer: string) => void, pointer = ''): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const key of Object.keys(schema)) {
    const value = schema[key];
    const at = `${pointer}/${pointerSegment(key)}`;
    if (Array.isArray(value)) {
      if (SUBSCHEMA_LIST.has(key)) value.forEach((item, i) => walkSubschemas(item, visit, `${at}/${i}`));
    } else if (SUBSCHEMA_MAP.has(key)) {
      if (isObject(value)) for (const name of Object.keys(value)) walkSubschemas(value[name], visit, `${at}/${pointerSegment(name)}`);
    } else if (ONE_SUBSCHEMA.has(key)) {
      walkSubschemas(value, visit, at);
    }
  }
}
