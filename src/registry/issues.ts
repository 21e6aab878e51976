import type { OutputUnit, Schema } from '@cfworker/json-schema';
import type { ValidationIssue } from '../errors/schema-fidelity-error.ts';

/** A compiled schema's root and its `$ref` lookup table, to read keyword values back. */
export interface SchemaIndex {
  readonly root: object;
  readonly lookup: Record<string, Schema | boolean>;
}

// Keywords whose error only says "something below me failed"; the causes follow it.
const WRAPPERS = new Set([
  'properties', 'patternProperties', 'additionalProperties', 'unevaluatedProperties', 'items', 'prefixItems',
  'additionalItems', 'unevaluatedItems', 'allOf', 'anyOf', 'oneOf', '$ref', '$recursiveRef', 'if',
  'dependentSchemas', 'dependencies', 'propertyNames', 'contains',
]);
const PROPERTY_WRAPPERS = new Set(['additionalProperties', 'unevaluatedProperties']);
const ITEM_WRAPPERS = new Set(['items', 'prefixItems', 'additionalItems', 'unevaluatedItems']);

const FORMATS: Record<string, string> = {
  email: 'must be an email address',
  'date-time': 'must be an RFC 3339 date-time with a timezone, e.g. "2024-03-01T14:00:00Z"',
  date: 'must be a date, e.g. "2024-03-01"',
  time: 'must be a time with a timezone, e.g. "14:00:00Z"',
  duration: 'must be an ISO 8601 duration, e.g. "PT30M"',
  uri: 'must be an absolute URI, e.g. "https://example.com/x"',
  url: 'must be a URL, e.g. "https://example.com/x"',
  'uri-reference': 'must be a URI reference',
  uuid: 'must be a UUID',
  hostname: 'must be a host name',
  ipv4: 'must be an IPv4 address',
  ipv6: 'must be an IPv6 address',
  regex: 'must be a valid regular expression',
  'json-pointer': 'must be a JSON Pointer, e.g. "/a/0"',
};
const ARTICLE: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', object: 'an object',
  array: 'an array', null: 'null',
};

/** `#/attendees/1` (cfworker's URI-encoded form) -> `/attendees/1` (a JSON Pointer). */
function pointerOf(location: string): string {
  const body = location.startsWith('#') ? location.slice(1) : location;
  return body.split('/').map((part) => safeDecode(part)).join('/');
}

function safeDecode(part: string): string {
  try { return decodeURIComponent(part); } catch { return part; }
}

/** Escapes one property name for a JSON Pointer. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

const within = (location: string, ancestor: string) => location === ancestor || location.startsWith(`${ancestor}/`);

/**
 * Turns cfworker's output units into the leaf causes a person can act on: wrapper units
 * (`properties`, `items`, `$ref`, …) dropped, of an `anyOf`/`oneOf` only the branch the
 * value came closest to, paths as JSON Pointers, messages in plain words.
 */
export function toIssues(errors: OutputUnit[], index: SchemaIndex): ValidationIssue[] {
  const units = errors.map((e, i) => ({ ...e, keywordLocation: fixFalseLocation(errors, i) }));
  const dropped = new Set<OutputUnit>();
  const replaced = new Map<OutputUnit, ValidationIssue>();
  // cfworker emits a unit's causes right after it, so they are the run of units that
  // follows it and sits below it (one scan per unit, not a search of the whole list).
  const position = new Map(units.map((u, i) => [u as OutputUnit, i]));
  const below = (parent: OutputUnit) => {
    const prefixes = childPrefixes(parent);
    const causes: OutputUnit[] = [];
    for (let i = position.get(parent)! + 1; i < units.length; i++) {
      const u = units[i]!;
      if (!within(u.instanceLocation, parent.instanceLocation) || !prefixes.some((p) => u.keywordLocation.startsWith(p))) break;
      causes.push(u);
    }
    return causes;
  };
  units.forEach((unit, i) => {
    if (unit.keyword === 'false' && ITEM_WRAPPERS.has(units[i - 1]?.keyword ?? '')) {
      replaced.set(unit, issue(unit.instanceLocation, 'is one item too many: the array has more items than its schema allows', 'items'));
    }
  });
  for (const unit of units) {
    if (dropped.has(unit)) continue;
    if (unit.keyword === 'anyOf' || unit.keyword === 'oneOf') pickBranch(unit, below(unit), dropped, replaced, index);
    else if (unit.keyword === 'propertyNames') {
      const causes = below(unit);
      causes.forEach((c) => dropped.add(c));
      const key = /"(.*)"/.exec(unit.error)?.[1] ?? '';
      const why = causes.map((c) => describe(c, index)).join(', ');
      replaced.set(unit, issue(unit.instanceLocation, `property name "${key}" is not allowed${why ? `: it ${why}` : ''}`, 'propertyNames'));
    } else if (PROPERTY_WRAPPERS.has(unit.keyword)) {
      const key = /^Property "(.*)" does not match/.exec(unit.error)?.[1];
      const child = below(unit).find((c) => c.keyword === 'false');
      if (key !== undefined && child) {
        dropped.add(child);
        replaced.set(unit, { path: pointerOf(child.instanceLocation), message: `unexpected property "${key}"`, keyword: unit.keyword });
      }
    }
  }

  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    if (dropped.has(unit)) continue;
    let found = replaced.get(unit);
    if (!found) {
      if (WRAPPERS.has(unit.keyword) && below(unit).some((c) => !dropped.has(c))) continue;
      found = issue(unit.instanceLocation, describe(unit, index), unit.keyword);
    }
    const key = `${found.path}\u0000${found.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(found);
    }
  }
  return out;
}

// Where the causes of a unit sit: below its own keyword, or for `if` below `then`/`else`.
function childPrefixes(unit: OutputUnit): string[] {
  if (unit.keyword !== 'if') return [`${unit.keywordLocation}/`];
  const base = unit.keywordLocation.slice(0, -'/if'.length);
  return [`${base}/then/`, `${base}/else/`];
}

function issue(location: string, message: string, keyword: string): ValidationIssue {
  return { path: pointerOf(location), message, keyword };
}

// cfworker gives a `false` schema's unit the instance location as keyword location; put
// it below the wrapper it belongs to, which cfworker always emits right before it.
function fixFalseLocation(errors: OutputUnit[], i: number): string {
  const unit = errors[i]!;
  const parent = errors[i - 1];
  return unit.keyword === 'false' && parent ? `${parent.keywordLocation}/false` : unit.keywordLocation;
}

// Of the branches of a failed anyOf/oneOf, keeps the one the value came closest to: not
// rejected by its `type` at the value itself, then the fewest errors. When every branch
// rejects the value's type, one issue names the types that would do.
function pickBranch(
  unit: OutputUnit, causes: OutputUnit[], dropped: Set<OutputUnit>, replaced: Map<OutputUnit, ValidationIssue>, index: SchemaIndex,
): void {
  if (causes.length === 0) {
    if (unit.keyword === 'oneOf') replaced.set(unit, issue(unit.instanceLocation, 'must match exactly one of the allowed forms, but matches several', 'oneOf'));
    return;
  }
  const prefix = `${unit.keywordLocation}/`;
  const branches = new Map<string, OutputUnit[]>();
  for (const c of causes) {
    const branch = c.keywordLocation.slice(prefix.length).split('/')[0]!;
    branches.set(branch, [...(branches.get(branch) ?? []), c]);
  }
  const typeMiss = (list: OutputUnit[]) => list.find((c) => c.keyword === 'type' && c.instanceLocation === unit.instanceLocation);
  let best: OutputUnit[] | undefined;
  for (const list of branches.values()) {
    if (typeMiss(list)) continue;
    if (!best || list.length < best.length) best = list;
  }
  const kept = new Set(best);
  causes.forEach((c) => { if (!kept.has(c)) dropped.add(c); });
  if (best) {
    dropped.add(unit);
    return;
  }
  const types = new Set<string>();
  for (const list of branches.values()) for (const t of [keywordValue(typeMiss(list)!, index)].flat()) if (typeof t === 'string') types.add(t);
  const got = /Instance type "(\w+)"/.exec(typeMiss(causes)?.error ?? '')?.[1];
  replaced.set(unit, issue(unit.instanceLocation, `must be ${[...types].map((t) => ARTICLE[t] ?? t).join(' or ')}${got ? ` (got ${got})` : ''}`, 'type'));
}

// Reads the value of the keyword an output unit is about, following `$ref` hops.
function keywordValue(unit: OutputUnit, index: SchemaIndex): unknown {
  let node: unknown = index.root;
  for (const raw of unit.keywordLocation.replace(/^#\/?/, '').split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    const part = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    const record = node as Record<string, unknown> & { __absolute_ref__?: string };
    node = part === '$ref' && typeof record.$ref === 'string' ? index.lookup[record.__absolute_ref__ ?? record.$ref] : record[part];
  }
  return node;
}

function describe(unit: OutputUnit, index: SchemaIndex): string {
  const value = keywordValue(unit, index);
  switch (unit.keyword) {
    case 'type': {
      const types = [value].flat().filter((t): t is string => typeof t === 'string');
      const got = /Instance type "(\w+)"/.exec(unit.error)?.[1];
      return types.length ? `must be ${types.map((t) => ARTICLE[t] ?? t).join(' or ')}${got ? ` (got ${got})` : ''}` : unit.error;
    }
    case 'required': return `is missing required property "${/property "(.*)"\.$/.exec(unit.error)?.[1]}"`;
    case 'format': return typeof value === 'string' ? FORMATS[value] ?? `must be a valid ${value}` : unit.error;
    case 'enum': return Array.isArray(value) ? `must be one of ${value.map((v) => JSON.stringify(v)).join(', ')}` : unit.error;
    case 'const': return `must be ${JSON.stringify(value)}`;
    case 'minLength': return value === 1 ? 'must not be empty' : `must be at least ${value} characters long`;
    case 'maxLength': return `must be at most ${value} characters long`;
    case 'minimum': return `must be at least ${value}`;
    case 'maximum': return `must be at most ${value}`;
    case 'exclusiveMinimum': return `must be greater than ${value}`;
    case 'exclusiveMaximum': return `must be less than ${value}`;
    case 'multipleOf': return `must be a multiple of ${value}`;
    case 'pattern': return `must match the pattern ${value}`;
    case 'minItems': return value === 1 ? 'must not be empty' : `must have at least ${value} items`;
    case 'maxItems': return `must have at most ${value} items`;
    case 'minProperties': return `must have at least ${value} properties`;
    case 'maxProperties': return `must have at most ${value} properties`;
    case 'uniqueItems': {
      const [, a, b] = /indexes (\d+) and (\d+)/.exec(unit.error) ?? [];
      return `must not contain duplicates${a ? ` (items ${a} and ${b} are equal)` : ''}`;
    }
    case 'dependentRequired':
    case 'dependencies': {
      const [, has, missing] = /has "(.*)" but does not have "(.*)"/.exec(unit.error) ?? [];
      return has ? `is missing property "${missing}", required when "${has}" is present` : unit.error;
    }
    case 'not': return 'must not match the excluded form';
    case 'contains': return 'must contain at least one item of the required form';
    case 'false': return 'is not allowed here';
    default: return unit.error;
  }
}
