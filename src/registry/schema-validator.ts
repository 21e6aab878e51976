import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { SchemaFidelityError, type ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { SType } from '../protocol/stype.ts';
import type { CompiledSchema } from './compiled-schema.ts';
import { embeddedRegistry } from './embedded.ts';
import { loadEngine } from './load-engine.ts';
import type { Registry } from './registry.ts';
import { keepName } from '../platform/class-name.ts';

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
   * already compiled and what judges `payload` has loaded; `undefined` when not (then call
   * `validate`). @internal
   */
  validateNow(stype: string, payload: unknown): ValidationIssue[] | undefined {
    const type = SType.parse(stype);
    const compiled = this.#ready.get(type.id);
    return compiled === undefined ? undefined : this.#check(type, compiled, payload);
  }

  /**
   * Every way `payload` breaks the schema of `stype`; `[]` when it is valid. Throws
   * `UnknownStypeError` when the registry has no schema for it, `E-INVALID-STYPE` for a
   * malformed SType, `E-REGISTRY` when the registry cannot be read, `E-MODULE-LOAD` when a
   * part it loads on first use cannot be loaded: the engine (with the first schema), or the
   * full check (with the first payload the schema's fast check cannot pass, an invalid one).
   */
  async validate(stype: string, payload: unknown): Promise<ValidationIssue[]> {
    const now = this.validateNow(stype, payload);
    if (now !== undefined) return now;
    const type = SType.parse(stype);
    const compiled = await this.#compile(type);
    const issues = this.#check(type, compiled, payload);
    if (issues !== undefined) return issues;
    // A payload the fast check cannot pass: the full check judges it, loaded the first time.
    await compiled.loadFullCheck();
    return this.#check(type, compiled, payload)!;
  }

  /** `compiled.check(payload)`, a schema it cannot use reported as `E-REGISTRY`. */
  #check(type: SType, compiled: CompiledSchema, payload: unknown): ValidationIssue[] | undefined {
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
      // The compiling code loads with the engine: a page that never validates never downloads it.
      compiled = loadEngine().then(({ compileSchema }) => compileSchema(this.registry, type));
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

/** A schema that cannot be compiled or checked, as an `E-REGISTRY` naming the SType and the registry. */
export function unusable(type: SType, registry: Registry, cause: unknown): MplError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new MplError(ErrorCode.Registry, `The schema of ${type.id} from ${registry.source} cannot be used: ${reason}`, {
    details: { stype: type.id, where: registry.source },
    cause,
  });
}
