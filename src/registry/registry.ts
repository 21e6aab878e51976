import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

/**
 * Where schemas and QoM profiles come from. Three sources ship with the SDK:
 * {@link embeddedRegistry} (built into the bundle, the default), {@link directoryRegistry}
 * (a folder, on Node, Deno and Bun) and {@link httpRegistry} (any runtime). Implement it
 * yourself to serve schemas from elsewhere.
 *
 * Every method takes an SType string and parses it strictly first (`E-INVALID-STYPE`), so
 * an SType can never name a file or URL outside the registry.
 *
 * @example
 * const registry = httpRegistry('https://registry.example.com/');
 * if (await registry.has('org.calendar.Event.v1')) {
 *   const schema = await registry.getSchema('org.calendar.Event.v1');
 * }
 */
export interface Registry {
  /** Where the schemas come from, for messages: `embedded`, a folder path or a base URL. */
  readonly source: string;
  /**
   * The JSON Schema of an SType, a fresh copy on every call. Throws `UnknownStypeError`
   * when the registry has none, an `MplError` (`E-REGISTRY`) when it cannot be read or
   * is not a valid schema.
   */
  getSchema(stype: string): Promise<object>;
  /** True when the registry has a schema for the SType (errors other than "not found" still throw). */
  has(stype: string): Promise<boolean>;
  /** Every SType the registry has, as `namespace.domain.Name.vN` ids, sorted. */
  list(): Promise<string[]>;
  /** A QoM profile file (`profiles/<name>.json`), or `undefined` when there is none. */
  getProfile(name: string): Promise<object | undefined>;
}

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A deep copy of a schema (JSON data): `structuredClone`, or a JSON round trip where the
 * runtime lacks it (Jest's jsdom environment), which copies JSON data alike.
 * @internal
 */
export const copySchema = <T>(schema: T): T => (typeof structuredClone === 'function' ? structuredClone(schema) : JSON.parse(JSON.stringify(schema)) as T);

/** Refuses profile names that could step outside `profiles/` as a file name or URL. */
export function checkProfileName(name: string): string {
  if (typeof name !== 'string' || !PROFILE_NAME.test(name)) {
    const shown = JSON.stringify(String(name).slice(0, 80));
    throw new MplError(ErrorCode.InvalidArgument, `Invalid QoM profile name ${shown}: use letters, digits, "_" and "-" only`, {
      details: { profile: String(name) },
    });
  }
  return name;
}

/** Parses registry text as JSON, or throws `E-REGISTRY` naming what was read and where. */
export function parseRegistryJson(text: string, what: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MplError(ErrorCode.Registry, `The ${what} at ${where} is not JSON: ${(cause as Error).message}`, {
      details: { where },
      cause,
    });
  }
}

/** A profile file must be a JSON object; anything else is a broken registry. */
export function checkProfile(value: unknown, name: string, where: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MplError(ErrorCode.Registry, `The QoM profile "${name}" at ${where} is not a JSON object`, {
      details: { profile: name, where },
    });
  }
  return value;
}
