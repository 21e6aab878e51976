import { dereference, type Schema } from '@cfworker/json-schema';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { compileFastCheck, type FastCheck } from './fast-check.ts';
import { fullCheck, loadFullCheck } from './full-engine.ts';
import type { SchemaIndex } from './issues.ts';

/**
 * The schema of one SType, dereferenced once (with the schemas it refers to) and reused
 * for every payload. cfworker writes hidden properties onto the schema objects, so they
 * must be this instance's own copies, never frozen or shared. A schema cfworker cannot
 * use throws its own error here or in `check`; the caller names the SType and registry.
 *
 * A payload the fast check passes is valid without the full engine; any other payload
 * is judged by the full check (src/registry/full-check.ts), a chunk of its own that loads
 * the first time one is met: `check` answers `undefined` until it has loaded, and
 * `loadFullCheck` loads it.
 */
export class CompiledSchema implements SchemaIndex {
  readonly root: Schema;
  readonly lookup: Record<string, Schema | boolean> = Object.create(null);
  /** Says "valid" without the engine's bookkeeping (locations, error lists) when it can; `undefined` for schemas it does not cover. */
  readonly #fast: FastCheck | undefined;

  constructor(root: object, referenced: object[]) {
    this.root = root as Schema;
    for (const schema of referenced) dereference(schema as Schema, this.lookup);
    dereference(this.root, this.lookup);
    this.#fast = compileFastCheck(this.root, this.lookup);
  }

  /**
   * All schema violations of `payload`, `[]` when it is valid; `undefined` when only the
   * full check can tell and it has not loaded yet (see {@link CompiledSchema.loadFullCheck}).
   */
  check(payload: unknown): ValidationIssue[] | undefined {
    if (this.#fastSaysValid(payload)) return [];
    return fullCheck()?.issuesOf(payload, this);
  }

  /**
   * Loads the full check, after which `check` always answers. Rejects with `E-MODULE-LOAD`
   * when it cannot be loaded. (A method, so that code outside the engine's chunk reaches the
   * loader, and the full check's dynamic import stays in that chunk.)
   */
  async loadFullCheck(): Promise<void> {
    await loadFullCheck();
  }

  #fastSaysValid(payload: unknown): boolean {
    if (this.#fast === undefined) return false;
    try {
      return this.#fast(payload);
    } catch {
      return false; // too deep for the stack, say: the engine decides and reports
    }
  }
}
