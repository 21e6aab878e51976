import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { EMBEDDED_PROFILES, EMBEDDED_SCHEMAS } from './embedded-data.generated.ts';
import { checkProfile, checkProfileName, parseRegistryJson, type Registry } from './registry.ts';
import { checkSchema } from './schema-document.ts';

const SOURCE = 'the embedded registry';

const EMBEDDED: Registry = Object.freeze({
  source: SOURCE,
  async getSchema(stype: string): Promise<object> {
    const type = SType.parse(stype);
    const text = Object.hasOwn(EMBEDDED_SCHEMAS, type.id) ? EMBEDDED_SCHEMAS[type.id] : undefined;
    if (text === undefined) throw new UnknownStypeError(type.id, SOURCE);
    return checkSchema(type, parseRegistryJson(text, `schema of ${type.id}`, SOURCE), SOURCE);
  },
  async has(stype: string): Promise<boolean> {
    return Object.hasOwn(EMBEDDED_SCHEMAS, SType.parse(stype).id);
  },
  async list(): Promise<string[]> {
    return Object.keys(EMBEDDED_SCHEMAS).sort();
  },
  async getProfile(name: string): Promise<object | undefined> {
    checkProfileName(name);
    const text = Object.hasOwn(EMBEDDED_PROFILES, name) ? EMBEDDED_PROFILES[name] : undefined;
    return text === undefined ? undefined : checkProfile(parseRegistryJson(text, `QoM profile "${name}"`, SOURCE), name, SOURCE);
  },
});

/**
 * The schemas and QoM profiles of this package's `registry/` folder, built into the
 * bundle: validation with no file system and no network, in every runtime. The default
 * registry of a session.
 *
 * @example
 * const registry = embeddedRegistry();
 * await registry.list(); // ['ai.completion.Request.v1', …, 'org.calendar.Event.v1', …]
 * await registry.getProfile('qom-basic'); // { name: 'qom-basic', metrics: {…}, … }
 */
export function embeddedRegistry(): Registry {
  return EMBEDDED;
}
