import { deepCompareStrict, format, ucs2length, type Schema } from '@cfworker/json-schema';
import { fastFormats } from './fast-formats.ts';
import { fullCheck } from './full-engine.ts';

/** True when a value certainly satisfies the schema; false when it may not (then the full engine decides). */
export type FastCheck = (value: unknown) => boolean;

// What @cfworker/json-schema acts on that this checker does not handle: any of them makes it give up on a schema.
const UNHANDLED = new Set(['$recursiveRef', '$recursiveAnchor', 'patternProperties', 'unevaluatedProperties', 'dependentRequired', 'dependentSchemas', 'dependencies', 'additionalItems', 'unevaluatedItems', 'contains', 'minContains', 'maxContains', 'multipleOf']);

class Unsupported extends Error {}

/**
 * `Object.prototype.hasOwnProperty` as it was at load. Called on the object a `for…in`
 * walks, with the key it gave, V8 answers it from the loop's own state (no lookup): 7–8% of
 * the instructions of a small payload's check, where `Object.hasOwn` is a call each time.
 */
const hasOwnProperty = Object.prototype.hasOwnProperty;

type Json = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** The JSON type of a plain JSON value; `undefined` for anything the engine would treat differently (left to it). */
function jsonType(value: unknown): Json | undefined {
  switch (typeof value) {
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'number': return Number.isFinite(value) ? 'number' : undefined;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'array';
      const proto = Object.getPrototypeOf(value);
      return proto === Object.prototype || proto === null ? 'object' : undefined;
    }
    default: return undefined;
  }
}

/** True for a JSON value of one of `types` (draft 2020-12's names), with the common single types tested directly. */
function typeCheck(types: string[]): FastCheck {
  if (types.length === 1) {
    switch (types[0]) {
      case 'string': return (v) => typeof v === 'string';
      case 'boolean': return (v) => typeof v === 'boolean';
      case 'integer': return (v) => Number.isInteger(v);
      case 'number': return (v) => typeof v === 'number' && Number.isFinite(v);
      case 'object': return (v) => jsonType(v) === 'object';
      case 'array': return Array.isArray;
      case 'null': return (v) => v === null;
      default: break;
    }
  }
  const allowed = new Set<string>(types);
  return (v) => {
    const t = jsonType(v);
    return t !== undefined && (allowed.has(t) || (t === 'number' && allowed.has('integer') && Number.isInteger(v)));
  };
}

/** Whether `v` equals `c` as the engine compares for `const`: objects and arrays deeply, anything else with `===`. */
const sameAsEngine = (v: unknown, c: unknown): boolean => (typeof v === 'object' && v !== null ? deepCompareStrict(v, c) : v === c);

/** Whether `v` is one of `values`, as the engine compares for `enum`. */
const inEnum = (v: unknown, values: unknown[]): boolean => (typeof v === 'object' && v !== null ? values.some((e) => deepCompareStrict(v, e)) : values.includes(v));

/** One check that holds when all of `checks` do (in order), without a loop for the short lists most schemas make. */
function allOf(checks: FastCheck[]): FastCheck {
  const [a, b, c] = checks;
  switch (checks.length) {
    case 0: return () => true;
    case 1: return a!;
    case 2: return (v) => a!(v) && b!(v);
    case 3: return (v) => a!(v) && b!(v) && c!(v);
    default: return (v) => {
      for (let i = 0; i < checks.length; i++) if (!checks[i]!(v)) return false;
      return true;
    };
  }
}

/**
 * A fast path for valid payloads: the schema (already dereferenced by the engine, with
 * its `lookup`) turned once into plain functions, no `eval`. It answers only "certainly
 * valid"; anything else, including every invalid payload, goes to the engine, whose
 * issues are what the caller reports. `undefined` when the schema uses a keyword it does
 * not handle exactly as the engine does (draft 2020-12).
 */
export function compileFastCheck(root: Schema, lookup: Record<string, Schema | boolean>): FastCheck | undefined {
  return compileWithin(root, lookup, { compiled: new Map(), added: [] });
}

/**
 * The checks compiled so far for one schema document, shared by the compilations of its
 * conditions' subschemas (see `exact`), so that a condition that refers back to a schema
 * being compiled (a recursive `oneOf`, `if` or `not`) meets its placeholder instead of
 * compiling it again, forever. `added` lists the schemas in the order they were entered,
 * so a compilation that gives up takes back what it added (placeholders among them).
 */
interface Compilation {
  readonly compiled: Map<Schema | boolean, FastCheck>;
  readonly added: (Schema | boolean)[];
}

function compileWithin(root: Schema, lookup: Record<string, Schema | boolean>, state: Compilation): FastCheck | undefined {
  const { compiled, added } = state;
  const build = (schema: Schema | boolean): FastCheck => {
    const known = compiled.get(schema);
    if (known) return known;
    // Placeholder first, so that recursive references resolve to the finished check.
    let done: FastCheck | undefined;
    const late: FastCheck = (v) => done!(v);
    compiled.set(schema, late);
    added.push(schema);
    done = create(schema);
    compiled.set(schema, done);
    return done;
  };

  const create = (schema: Schema | boolean): FastCheck => {
    if (schema === true) return () => true;
    if (schema === false) return () => false;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Unsupported();
    const s = schema as Record<string, unknown>;
    for (const key of Object.keys(s)) if (UNHANDLED.has(key)) throw new Unsupported();
    const checks: FastCheck[] = [];

    const type = s['type'];
    const types = type === undefined ? undefined : Array.isArray(type) ? type : [type];
    if (types !== undefined && !types.every((t) => typeof t === 'string')) throw new Unsupported();
    // A single type of object, array or string is tested by that kind's keyword check below, when there is one
    // (it then refuses other values instead of passing them): one check instead of two.
    const only = types?.length === 1 ? (types[0] as string) : undefined;
    let typeTested = false;
    // A reference to a schema object is compiled here too, so it refuses what is not JSON.
    let refusesNonJson = type !== undefined;
    if (s['$ref'] !== undefined) {
      const uri = (s['__absolute_ref__'] as string | undefined) || (s['$ref'] as string);
      const target = lookup[uri];
      if (target === undefined) throw new Unsupported();
      checks.push(build(target));
      refusesNonJson ||= typeof target === 'object';
    }
    if (s['const'] !== undefined) {
      const value = s['const'];
      checks.push((v) => sameAsEngine(v, value));
    }
    if (s['enum'] !== undefined) {
      const values = s['enum'];
      if (!Array.isArray(values)) throw new Unsupported();
      checks.push((v) => inEnum(v, values));
    }
    // Conditions need an exact answer, not "certainly valid": the condition's own fast check says
    // "holds" when it can, `refutation` says "fails" when it can, and the full engine answers the
    // rest once it has loaded; before, `undefined`, and the payload is left to it.
    const exact = (sub: unknown): ((v: unknown) => boolean | undefined) => {
      const holds = typeof sub === 'boolean' ? () => sub : compileWithin(sub as Schema, lookup, state);
      const fails = refutation(sub);
      return (v) => (holds?.(v) ? true : fails?.(v) ? false : fullCheck()?.holds(v, sub, lookup));
    };
    for (const combinator of ['anyOf', 'allOf', 'oneOf'] as const) {
      const list = s[combinator];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new Unsupported();
      const branches = list.map((b) => build(b as Schema | boolean));
      if (combinator === 'anyOf') {
        checks.push((v) => {
          for (let i = 0; i < branches.length; i++) if (branches[i]!(v)) return true;
          return false;
        });
      } else if (combinator === 'allOf') checks.push(allOf(branches));
      else {
        // Exactly one: a branch the fast check cannot pass is not thereby refuted (its answer only
        // means "not sure"), so each branch needs an exact answer; any "not sure" leaves the payload
        // to the engine. Counting unsure branches as refuted passed payloads that match several.
        const answers = list.map((b) => exact(b));
        checks.push((v) => {
          let n = 0;
          for (const answer of answers) {
            const holds = answer(v);
            if (holds === undefined || (holds && ++n > 1)) return false;
          }
          return n === 1;
        });
      }
    }
    if (s['not'] !== undefined) {
      const negated = exact(s['not']);
      checks.push((v) => negated(v) === false);
    }
    if (s['if'] !== undefined) {
      const condition = exact(s['if']);
      const then = s['then'] === undefined ? undefined : build(s['then'] as Schema | boolean);
      const otherwise = s['else'] === undefined ? undefined : build(s['else'] as Schema | boolean);
      checks.push((v) => {
        const holds = condition(v);
        if (holds === undefined) return false;
        const branch = holds ? then : otherwise;
        return branch === undefined || branch(v);
      });
    }
    // Object keywords (they apply to objects only, as in the engine).
    const required = s['required'];
    const properties = s['properties'];
    const additional = s['additionalProperties'];
    const { minProperties, maxProperties, propertyNames } = s as Record<string, unknown>;
    if (required !== undefined || properties !== undefined || additional !== undefined || minProperties !== undefined || maxProperties !== undefined || propertyNames !== undefined) {
      if ((minProperties !== undefined && typeof minProperties !== 'number') || (maxProperties !== undefined && typeof maxProperties !== 'number')) throw new Unsupported();
      const names = propertyNames === undefined ? undefined : build(propertyNames as Schema | boolean);
      if (required !== undefined && !(Array.isArray(required) && required.every((k) => typeof k === 'string'))) throw new Unsupported();
      if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties))) throw new Unsupported();
      const props = new Map<string, FastCheck>(Object.entries((properties ?? {}) as Record<string, Schema | boolean>).map(([k, p]) => [k, build(p)]));
      const rest = additional === undefined ? undefined : build(additional as Schema | boolean);
      const needed = (required ?? []) as string[];
      const strictObject = only === 'object';
      typeTested ||= strictObject;
      checks.push((v) => {
        if (jsonType(v) !== 'object') return !strictObject;
        const o = v as Record<string, unknown>;
        for (const k of needed) if (!Object.hasOwn(o, k)) return false;
        if (minProperties !== undefined || maxProperties !== undefined) {
          const count = Object.keys(o).length;
          if ((minProperties !== undefined && count < (minProperties as number)) || (maxProperties !== undefined && count > (maxProperties as number))) return false;
        }
        for (const k in o) {
          if (!hasOwnProperty.call(o, k)) return false;
          if (names !== undefined && !names(k)) return false;
          const p = props.get(k) ?? rest;
          if (p !== undefined && !p(o[k])) return false;
        }
        return true;
      });
    }
    // Array keywords: the first items each against their `prefixItems` schema, the rest against `items`.
    const prefixItems = s['prefixItems'];
    const items = s['items'];
    const minItems = s['minItems'];
    const maxItems = s['maxItems'];
    const unique = Boolean(s['uniqueItems']);
    if (prefixItems !== undefined || items !== undefined || minItems !== undefined || maxItems !== undefined || unique) {
      if ((prefixItems !== undefined && !Array.isArray(prefixItems)) || Array.isArray(items)) throw new Unsupported();
      if ((minItems !== undefined && typeof minItems !== 'number') || (maxItems !== undefined && typeof maxItems !== 'number')) throw new Unsupported();
      const firsts = ((prefixItems ?? []) as (Schema | boolean)[]).map(build);
      const each = items === undefined ? undefined : build(items as Schema | boolean);
      const strictArray = only === 'array';
      typeTested ||= strictArray;
      checks.push((v) => {
        if (!Array.isArray(v)) return !strictArray;
        if ((minItems !== undefined && v.length < (minItems as number)) || (maxItems !== undefined && v.length > (maxItems as number))) return false;
        const prefix = Math.min(firsts.length, v.length);
        for (let i = 0; i < prefix; i++) if (!firsts[i]!(v[i])) return false;
        if (each) for (let i = firsts.length; i < v.length; i++) if (!each(v[i])) return false;
        if (unique) {
          for (let j = 0; j < v.length; j++) {
            const a = v[j];
            for (let k = j + 1; k < v.length; k++) {
              const b = v[k];
              if (a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && deepCompareStrict(a, b))) return false;
            }
          }
        }
        return true;
      });
    }
    // Number keywords.
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = s as Record<string, unknown>;
    if (minimum !== undefined || maximum !== undefined || exclusiveMinimum !== undefined || exclusiveMaximum !== undefined) {
      for (const bound of [minimum, maximum, exclusiveMinimum, exclusiveMaximum]) if (bound !== undefined && typeof bound !== 'number') throw new Unsupported();
      checks.push((v) => {
        if (typeof v !== 'number') return true;
        return !((minimum !== undefined && v < (minimum as number)) || (maximum !== undefined && v > (maximum as number))
          || (exclusiveMinimum !== undefined && v <= (exclusiveMinimum as number)) || (exclusiveMaximum !== undefined && v >= (exclusiveMaximum as number)));
      });
    }
    // String keywords.
    const { minLength, maxLength, pattern } = s as Record<string, unknown>;
    const formatName = s['format'];
    const formatCheck = typeof formatName === 'string' && Object.hasOwn(format, formatName)
      ? (Object.hasOwn(fastFormats, formatName) ? fastFormats[formatName] : (format as Record<string, (v: string) => boolean>)[formatName])
      : undefined;
    // The engine calls whatever `format[name]` finds, Object.prototype's methods included: those are its to judge.
    if (formatName !== undefined && (typeof formatName !== 'string' || (formatName in format && formatCheck === undefined))) throw new Unsupported();
    if (minLength !== undefined || maxLength !== undefined || pattern !== undefined || formatCheck !== undefined) {
      if ((minLength !== undefined && typeof minLength !== 'number') || (maxLength !== undefined && typeof maxLength !== 'number')) throw new Unsupported();
      if (pattern !== undefined && typeof pattern !== 'string') throw new Unsupported();
      const regex = pattern === undefined ? undefined : new RegExp(pattern, 'u');
      const strictString = only === 'string';
      typeTested ||= strictString;
      checks.push((v) => {
        if (typeof v !== 'string') return !strictString;
        // Its length in code points lies between half its UTF-16 length and that length: counted only when that does not settle it.
        if ((maxLength !== undefined && v.length > (maxLength as number)) || (minLength !== undefined && v.length < 2 * (minLength as number))) {
          const length = ucs2length(v);
          if ((minLength !== undefined && length < (minLength as number)) || (maxLength !== undefined && length > (maxLength as number))) return false;
        }
        if (regex && !regex.test(v)) return false;
        return formatCheck === undefined || formatCheck(v);
      });
    }
    // Every value must be one the engine takes as JSON (so the checks above see only JSON values); the checks then all hold.
    if (types !== undefined && !typeTested) checks.unshift(typeCheck(types as string[]));
    if (!refusesNonJson) checks.unshift((v) => jsonType(v) !== undefined);
    return allOf(checks);
  };

  const start = added.length;
  try {
    return build(root);
  } catch (error) {
    for (const schema of added.splice(start)) compiled.delete(schema);
    if (error instanceof Unsupported || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * True when a value certainly fails `schema` as the engine reads it (draft 2020-12); false
 * when it may not. Reads `type`, `const`, `enum`, `required` and `properties` (recursively):
 * a schema fails when any of its keywords does, so the keywords it does not read (a `$ref`,
 * say) only leave failures it cannot see. `undefined` for a schema that is not an object or
 * a boolean. What `if` and `not` need to be settled without the full engine: ToolResult's
 * `if: {properties: {status: {const: "error"}}}` on a success, for one.
 */
function refutation(schema: unknown): FastCheck | undefined {
  if (schema === true) return () => false;
  if (schema === false) return () => true;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const s = schema as Record<string, unknown>;
  const tests: FastCheck[] = [];
  const type = s['type'];
  const types = typeof type === 'string' ? [type] : Array.isArray(type) && type.every((t) => typeof t === 'string') ? (type as string[]) : undefined;
  if (types !== undefined) {
    const matches = typeCheck(types); // exact on JSON values
    tests.push((v) => jsonType(v) !== undefined && !matches(v));
  }
  if (s['const'] !== undefined) {
    const value = s['const'];
    tests.push((v) => jsonType(v) !== undefined && !sameAsEngine(v, value));
  }
  const values = s['enum'];
  if (Array.isArray(values)) tests.push((v) => jsonType(v) !== undefined && !inEnum(v, values));
  const required = s['required'];
  if (Array.isArray(required) && required.every((k) => typeof k === 'string')) {
    tests.push((v) => jsonType(v) === 'object' && !(required as string[]).every((k) => Object.hasOwn(v as object, k)));
  }
  const properties = s['properties'];
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    const members = Object.entries(properties).flatMap(([key, sub]) => {
      const fails = refutation(sub);
      return fails === undefined ? [] : [[key, fails] as const];
    });
    tests.push((v) => jsonType(v) === 'object' && members.some(([key, fails]) => Object.hasOwn(v as object, key) && fails((v as Record<string, unknown>)[key])));
  }
  return (v) => tests.some((fails) => fails(v));
}
