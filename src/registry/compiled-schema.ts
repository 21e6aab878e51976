import { dereference, validate, type Schema } from '@cfworker/json-schema';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { compileFastCheck, type FastCheck } from './fast-check.ts';
import { pointerToken, toIssues, type SchemaIndex } from './issues.ts';

/**
 * The schema of one SType, dereferenced once (with the schemas it refers to) and reused
 * for every payload. cfworker writes hidden properties onto the schema objects, so they
 * must be this instance's own copies, never frozen or shared. A schema cfworker cannot
 * use throws its own error here; the caller names the SType and registry. (This module
 * imports nothing from the rest of the SDK, so its chunk stands alone.)
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

  /** All schema violations of `payload`, `[]` when it is valid. */
  check(payload: unknown): ValidationIssue[] {
    if (this.#fastSaysValid(payload)) return [];
    let result;
    try {
      result = validate(payload, this.root, '2020-12', this.lookup, false);
    } catch (cause) {
      let notJson: ValidationIssue | undefined;
      let tooDeep = cause instanceof RangeError;
      try {
        notJson = findNonJson(payload);
      } catch {
        tooDeep = true;
      }
      if (notJson) return [notJson];
      // Nesting deeper than the call stack: refused (fail closed), not a crash.
      if (tooDeep) return [{ path: '', message: 'is nested too deeply to validate', keyword: 'depth' }];
      throw cause;
    }
    return result.valid ? [] : toIssues(result.errors, this);
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

/** The first value JSON cannot carry (undefined, BigInt, a function, a cycle), as an issue. */
function findNonJson(value: unknown, path = '', parents: object[] = []): ValidationIssue | undefined {
  const found = (message: string): ValidationIssue => ({ path, message, keyword: 'type' });
  switch (typeof value) {
    case 'undefined': return found(path ? 'is undefined, which JSON cannot carry (leave the property out instead)' : 'is undefined: a payload must be a JSON value');
    case 'bigint': return found('is a BigInt, which JSON cannot carry (send a number or a string)');
    case 'function':
    case 'symbol': return found(`is a ${typeof value}, which JSON cannot carry`);
    case 'object': {
      if (value === null) return undefined;
      if (parents.includes(value)) return found('refers back to an object that contains it (a cycle), which JSON cannot carry');
      const inner = [...parents, value];
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const problem = findNonJson(child, `${path}/${pointerToken(key)}`, inner);
        if (problem) return problem;
      }
      return undefined;
    }
    default: return undefined;
  }
}
