import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { keepName } from '../platform/class-name.ts';

const URN_PREFIX = 'urn:stype:';
const MAX_LENGTH = 256;
const PART = /^[A-Za-z0-9_-]+$/;
const VERSION = /^v([1-9][0-9]{0,2})$/;
/** Parsed STypes by input string: a session parses the same few on every message. Bounded; cleared when full. */
const PARSED = new Map<string, SType>();
const MAX_PARSED = 256;
/**
 * The last SType parsed, and its input. A message's SType is a fresh string (from
 * `JSON.parse`), which a `Map` must hash before it can look it up: comparing it with the
 * last input costs less, and a session meets the same SType message after message.
 */
let lastInput = '';
let lastParsed: SType | undefined;

function refuse(input: string, rule: string): never {
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  throw new MplError(ErrorCode.InvalidStype, `Invalid SType ${shown}: ${rule}`, { details: { stype: input, rule } });
}

/**
 * A semantic type identifier, `namespace.domain.Name.vN` (or `urn:stype:` + that).
 * The namespace may have several dot-separated parts: `com.acme.finance.Trade.v2` has
 * namespace `com.acme` and domain `finance`.
 *
 * Parsing is strict, because an SType becomes a file path and a URL: every part is
 * letters, digits, `_` or `-`, none is empty, the whole is at most 256 characters and
 * the version is 1..999 without leading zeros.
 *
 * @example
 * const t = SType.parse('urn:stype:org.calendar.Event.v1');
 * t.id;           // 'org.calendar.Event.v1'
 * t.registryPath; // 'stypes/org/calendar/Event/v1'
 */
export class SType {
  /** Namespace, possibly dotted: `org`, `com.acme`. */
  readonly namespace: string;
  readonly domain: string;
  readonly name: string;
  readonly majorVersion: number;
  readonly #id: string;

  private constructor(namespace: string, domain: string, name: string, majorVersion: number) {
    this.namespace = namespace;
    this.domain = domain;
    this.name = name;
    this.majorVersion = majorVersion;
    this.#id = `${namespace}.${domain}.${name}.v${majorVersion}`;
    Object.freeze(this);
  }

  /** Parses an SType string; throws an `MplError` (`E-INVALID-STYPE`) naming the rule it breaks. */
  static parse(input: string): SType {
    if (input === lastInput && lastParsed !== undefined) return lastParsed;
    let parsed = PARSED.get(input);
    if (parsed === undefined) {
      parsed = SType.#parse(input);
      if (PARSED.size >= MAX_PARSED) PARSED.clear();
      PARSED.set(input, parsed);
    }
    lastInput = input;
    lastParsed = parsed;
    return parsed;
  }

  static #parse(input: string): SType {
    if (typeof input !== 'string') refuse(String(input), `expected a string, got ${input === null ? 'null' : typeof input}`);
    if (input.length === 0) refuse(input, 'it is empty');
    if (input.length > MAX_LENGTH) refuse(input, `longer than ${MAX_LENGTH} characters (${input.length})`);
    const body = input.startsWith(URN_PREFIX) ? input.slice(URN_PREFIX.length) : input;
    const parts = body.split('.');
    if (parts.length < 4) refuse(input, 'expected namespace.domain.Name.vN (at least four dot-separated parts)');
    parts.forEach((part, i) => {
      if (part.length === 0) refuse(input, `part ${i + 1} is empty`);
      if (!PART.test(part)) refuse(input, `part ${JSON.stringify(part)} may contain only letters, digits, "_" and "-"`);
    });
    const version = VERSION.exec(parts[parts.length - 1]!);
    if (!version) refuse(input, `the last part must be a version v1..v999 without leading zeros, got ${JSON.stringify(parts[parts.length - 1])}`);
    const name = parts[parts.length - 2]!;
    const domain = parts[parts.length - 3]!;
    return new SType(parts.slice(0, -3).join('.'), domain, name, Number(version[1]));
  }

  /** Like `parse`, but returns `undefined` instead of throwing. */
  static tryParse(input: string): SType | undefined {
    try { return SType.parse(input); } catch { return undefined; }
  }

  /** True when `input` is a valid SType string. */
  static isValid(input: string): boolean {
    return SType.tryParse(input) !== undefined;
  }

  /** `namespace.domain.Name.vN` */
  get id(): string {
    return this.#id;
  }

  /** `urn:stype:namespace.domain.Name.vN` */
  get urn(): string {
    return URN_PREFIX + this.id;
  }

  /** The folder of this SType in a registry: `stypes/<ns as path>/<domain>/<Name>/v<N>`. */
  get registryPath(): string {
    return `stypes/${this.namespace.split('.').join('/')}/${this.domain}/${this.name}/v${this.majorVersion}`;
  }

  /** The schema file of this SType in a registry: `<registryPath>/schema.json`. */
  get schemaPath(): string {
    return `${this.registryPath}/schema.json`;
  }

  /** True when `other` (an SType or a string, with or without `urn:stype:`) names the same SType. */
  equals(other: SType | string): boolean {
    return this.id === (typeof other === 'string' ? SType.parse(other).id : other.id);
  }

  /** The id, `namespace.domain.Name.vN`. */
  toString(): string {
    return this.id;
  }

  /** The id, so an SType serialises as its string. */
  toJSON(): string {
    return this.id;
  }
}
keepName(SType, 'SType');
