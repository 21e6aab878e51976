// The full validation engine (@cfworker/json-schema's `validate`, and what turns its output
// into issues): a chunk of its own, loaded by src/registry/full-engine.ts the first time a
// payload is one the fast check (src/registry/fast-check.ts) cannot pass: an invalid one,
// or one its schema's fast check leaves to the engine. A page whose payloads all pass the
// fast check never downloads it.
import { validate, type Schema } from '@cfworker/json-schema';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { pointerToken, toIssues, type SchemaIndex } from './issues.ts';

/**
 * All schema violations of `payload` against a compiled schema, `[]` when it is valid.
 * A schema cfworker cannot use throws its own error; the caller names the SType and registry.
 */
export function issuesOf(payload: unknown, index: SchemaIndex): ValidationIssue[] {
  let result;
  try {
    result = validate(payload, index.root as Schema, '2020-12', index.lookup, false);
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
  return result.valid ? [] : toIssues(result.errors, index);
}

/** Whether `value` satisfies `schema` (a part of a compiled schema, resolving `$ref` in `lookup`): the exact answer a condition (`if`, `not`) needs. */
export function holds(value: unknown, schema: unknown, lookup: Record<string, Schema | boolean>): boolean {
  return validate(value, schema as Schema, '2020-12', lookup, true).valid;
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
