// Fetches an SType's schema and those it refers to from a registry, and compiles them: the
// part of SchemaValidator that loads with the validation engine (src/registry/engine.ts).
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { CompiledSchema } from './compiled-schema.ts';
import { copySchema, type Registry } from './registry.ts';
import { unusable } from './schema-validator.ts';
import { walkSubschemas } from './subschemas.ts';

const URN = 'urn:stype:';

/** The compiled schema of `type`, with every `urn:stype:` schema it refers to, from `registry`. */
export async function compileSchema(registry: Registry, type: SType): Promise<CompiledSchema> {
  // A copy of our own: cfworker writes onto schema objects, and a custom registry may freeze or share them.
  const root = copySchema(await registry.getSchema(type.id));
  const referenced = new Map<string, object>([[type.id, root]]);
  refuseUnenforced(type, registry, root);
  await loadReferences(registry, type, root, referenced);
  referenced.delete(type.id);
  try {
    return new CompiledSchema(withId(root, type), [...referenced.values()]);
  } catch (cause) {
    throw unusable(type, registry, cause);
  }
}

/**
 * The engine does not implement `$dynamicRef` (nor `$recursiveRef` other than `"#"`): a
 * schema that uses one would pass every payload at that place, a check silently off. It is
 * refused instead.
 */
function refuseUnenforced(type: SType, registry: Registry, schema: object): void {
  walkSubschemas(schema, (sub, pointer) => {
    const keyword = typeof sub['$dynamicRef'] === 'string' ? '$dynamicRef' : typeof sub['$recursiveRef'] === 'string' && sub['$recursiveRef'] !== '#' ? '$recursiveRef' : undefined;
    if (keyword === undefined) return;
    throw new MplError(ErrorCode.Registry, `The schema of ${type.id} uses ${keyword} (at #${pointer}), which this SDK's validator does not enforce: payloads would pass unchecked there. Use $ref`, {
      details: { stype: type.id, keyword, at: `#${pointer}`, where: registry.source },
    });
  });
}

function withId(schema: object, type: SType): object {
  (schema as { $id?: string }).$id = type.urn;
  return schema;
}

// Loads, from the same registry, every SType a schema refers to with `urn:stype:…`. Any
// other non-local `$ref` is refused: schemas are never fetched from arbitrary URLs.
async function loadReferences(registry: Registry, owner: SType, schema: object, loaded: Map<string, object>): Promise<void> {
  for (const ref of collectRefs(schema)) {
    if (ref.startsWith('#')) continue;
    const base = ref.split('#')[0]!;
    const target = base.startsWith(URN) ? SType.tryParse(base) : undefined;
    if (!target) {
      throw new MplError(ErrorCode.Registry,
        `The schema of ${owner.id} refers to ${JSON.stringify(ref)}, which is not in the registry: only local ("#…") and "urn:stype:<SType>" references are resolved, and nothing is fetched from other URLs`,
        { details: { stype: owner.id, ref, where: registry.source } });
    }
    if (loaded.has(target.id)) continue;
    let referenced: object;
    try {
      referenced = withId(copySchema(await registry.getSchema(target.id)), target);
    } catch (cause) {
      if (!(cause instanceof UnknownStypeError)) throw cause;
      throw new MplError(ErrorCode.Registry, `The schema of ${owner.id} refers to ${target.id}, which ${registry.source} does not have`, {
        details: { stype: owner.id, ref, where: registry.source },
        cause,
      });
    }
    loaded.set(target.id, referenced);
    await loadReferences(registry, target, referenced, loaded);
  }
}

function collectRefs(schema: unknown): string[] {
  const out: string[] = [];
  walkSubschemas(schema, (sub) => {
    if (typeof sub.$ref === 'string') out.push(sub.$ref);
  });
  return out;
}
