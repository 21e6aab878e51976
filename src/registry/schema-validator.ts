import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { SchemaFidelityError, type ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import type { CompiledSchema } from './compiled-schema.ts';
import { embeddedRegistry } from './embedded.ts';
import { loadEngine } from './load-engine.ts';
import type { Registry } from './registry.ts';
import { keepName } from '../platform/class-name.ts';

const URN = 'urn:stype:';

/**
 * Validates payloads against the JSON Schema of their SType (draft 2020-12, through
 * `@cfworker/json-schema`, which needs no `eval` and so runs in Workers and under a
 * strict CSP). Each SType's schema is fetched and compiled once, then reused.
 *
 * Issues are the leaf causes, each `{path, message, keyword}` with `path` a JSON Pointer
 * to the offending value (`""` for the payload itself): all of them, not only the first.
 *
 * @example
 * const validator = new SchemaValidator(embeddedRegistry());
 * const issues = await validator.validate('org.calendar.Event.v1', { title: 'Sync' });
 * // [{ path: '', message: 'is missing required property "start"', keyword: 'required' }]
 * await validator.assertValid('org.calendar.Event.v1', payload); // throws SchemaFidelityError
 */
export class SchemaValidator {
  /** Where the schemas come from. */
  readonly registry: Registry;
  readonly #compiled = new Map<string, Promise<CompiledSchema>>();
  /** The same schemas once compiled, for the synchronous path. */
  readonly #ready = new Map<string, CompiledSchema>();

  constructor(registry: Registry = embeddedRegistry()) {
    this.registry = registry;
  }

  /** True when the registry has a schema for `stype`. */
  hasSchema(stype: string): Promise<boolean> {
    // A compiled schema was there: no need to ask the registry again.
    const type = SType.tryParse(stype);
    if (type !== undefined && this.#ready.has(type.id)) return Promise.resolve(true);
    return this.registry.has(stype);
  }

  /**
   * Like {@link SchemaValidator.validate}, synchronously, when the schema of `stype` is
   * already compiled; `undefined` when it is not (then call `validate`). @internal
   */
  validateNow(stype: string, payload: unknown): ValidationIssue[] | undefined {
    const type = SType.parse(stype);
    const compiled = this.#ready.get(type.id);
    if (compiled === undefined) return undefined;
    try {
      return compiled.check(payload);
    } catch (cause) {
      throw unusable(type, this.registry, cause);
    }
  }

  /**
   * Every way `payload` breaks the schema of `stype`; `[]` when it is valid. Throws
   * `UnknownStypeError` when the registry has no schema for it, `E-INVALID-STYPE` for a
   * malformed SType, `E-REGISTRY` when the registry cannot be read.
   */
  async validate(stype: string, payload: unknown): Promise<ValidationIssue[]> {
    const now = this.validateNow(stype, payload);
    if (now !== undefined) return now;
    const type = SType.parse(stype);
    const compiled = await this.#compile(type);
    try {
      return compiled.check(payload);
    } catch (cause) {
      throw unusable(type, this.registry, cause);
    }
  }

  /** Resolves when `payload` is valid; otherwise throws `SchemaFidelityError` listing all issues. */
  async assertValid(stype: string, payload: unknown): Promise<void> {
    const issues = await this.validate(stype, payload);
    if (issues.length > 0) throw new SchemaFidelityError(SType.parse(stype).id, issues);
  }

  #compile(type: SType): Promise<CompiledSchema> {
    let compiled = this.#compiled.get(type.id);
    if (!compiled) {
      compiled = compile(this.registry, type);
      this.#compiled.set(type.id, compiled);
      compiled.then(
        (ready) => { if (this.#compiled.get(type.id) === compiled) this.#ready.set(type.id, ready); },
        // A failure (registry down) is not remembered: the next call tries again.
        () => { if (this.#compiled.get(type.id) === compiled) this.#compiled.delete(type.id); },
      );
    }
    return compiled;
  }
}
keepName(SchemaValidator, 'SchemaValidator');

async function compile(registry: Registry, type: SType): Promise<CompiledSchema> {
  // A copy of our own: cfworker writes onto schema objects, and a custom registry may freeze or share them.
  const root = structuredClone(await registry.getSchema(type.id));
  const referenced = new Map<string, object>([[type.id, root]]);
  await loadReferences(registry, type, root, referenced);
  referenced.delete(type.id);
  const { CompiledSchema } = await loadEngine();
  try {
    return new CompiledSchema(withId(root, type), [...referenced.values()]);
  } catch (cause) {
    throw unusable(type, registry, cause);
  }
}

function unusable(type: SType, registry: Registry, cause: unknown): MplError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new MplError(ErrorCode.Registry, `The schema of ${type.id} from ${registry.source} cannot be used: ${reason}`, {
    details: { stype: type.id, where: registry.source },
    cause,
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
      referenced = withId(structuredClone(await registry.getSchema(target.id)), target);
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

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if ((key === '$ref' || key === '$dynamicRef' || key === '$recursiveRef') && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}
