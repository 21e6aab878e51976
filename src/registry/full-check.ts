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
    // What is validated is what is sent: a value that is not plain JSON is refused where JSON
    // would change it beyond recognition (NaN sent as null, say), else read as its JSON text
    // (undefined members left out, as the semantic hash leaves them; a Date as its string;
    // toJSON applied). The fast check never passes such a value, so it comes here.
    if (!isPlainJson(payload, 0)) {
      const notJson = findNonJson(payload);
      if (notJson) return [notJson];
      const text = JSON.stringify(payload);
      if (text === undefined) return [{ path: '', message: 'has no JSON form (its toJSON gives nothing): a payload must be a JSON value', keyword: 'type' }];
      payload = JSON.parse(text);
    }
    result = validate(payload, index.root as Schema, '2020-12', index.lookup, false);
  } catch (cause) {
    // Nesting deeper than the call stack (in the walks above or in the engine): refused (fail closed), not a crash.
    // (What JSON cannot carry was found above; nothing is left to look for here.)
    if (cause instanceof RangeError) return [{ path: '', message: 'is nested too deeply to validate', keyword: 'depth' }];
    throw cause;
  }
  return result.valid ? [] : toIssues(result.errors, index);
}

/** Whether `value` satisfies `schema` (a part of a compiled schema, resolving `$ref` in `lookup`): the exact answer a condition (`if`, `not`) needs. */
export function holds(value: unknown, schema: unknown, lookup: Record<string, Schema | boolean>): boolean {
  return validate(value, schema as Schema, '2020-12', lookup, true).valid;
}

/** Nesting past which `isPlainJson` stops looking (and the value is read through its JSON text). */
const PLAIN_DEPTH = 256;

/**
 * Whether `value` is its own JSON reading: null, a boolean, a finite number, a string, an
 * array or an object of Object.prototype (or none) with no `toJSON`, and so on within. A
 * sparse array, an undefined member, NaN or a Date is not.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean': return true;
    case 'number': return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= PLAIN_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      for (const key in value) if (Object.hasOwn(value, key) && !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default: return false;
  }
}

/**
 * The first value JSON cannot carry as it is, as an issue: a payload that is undefined (or
 * a function), an array element JSON would turn into null (undefined, a function), a
 * number that is not finite (sent as null), a BigInt, a cycle. An object member that is
 * undefined is not one: JSON leaves it out, and so does the semantic hash.
 */
function findNonJson(value: unknown, path = '', parents: object[] = [], inArray = false): ValidationIssue | undefined {
  const found = (message: string): ValidationIssue => ({ path, message, keyword: 'type' });
  switch (typeof value) {
    case 'undefined':
      return path === '' ? found('is undefined: a payload must be a JSON value') : inArray ? found('is undefined, which JSON sends as null in an array') : undefined;
    case 'bigint': return found('is a BigInt, which JSON cannot carry (send a number or a string)');
    case 'number': return Number.isFinite(value) ? undefined : found(`is ${value}, which JSON cannot carry (it would be sent as null)`);
    case 'function':
    case 'symbol':
      return path === '' || inArray ? found(`is a ${typeof value}, which JSON cannot carry`) : undefined;
    case 'object': {
      if (value === null) return undefined;
      if (parents.includes(value)) return found('refers back to an object that contains it (a cycle), which JSON cannot carry');
      const inner = [...parents, value];
      const array = Array.isArray(value);
      const entries = array ? Array.from(value, (v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const problem = findNonJson(child, `${path}/${pointerToken(key)}`, inner, array);
        if (problem) return problem;
      }
      return undefined;
    }
    default: return undefined;
  }
}
