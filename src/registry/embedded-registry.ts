// The embedded registry's data and the code that reads it: one chunk, loaded on first use
// (src/registry/embedded.ts), so sessions with another registry never load either.
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { EMBEDDED_PROFILES, EMBEDDED_SCHEMAS } from './embedded-data.generated.ts';
import { loadEngine } from './load-engine.ts';
import { checkProfile, checkProfileName, parseRegistryJson, type Registry } from './registry.ts';

const SOURCE = 'the embedded registry';

const lookup = (table: Readonly<Record<string, string>>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

/** The embedded registry itself; `embeddedRegistry()` gives a handle that loads it. */
export const EMBEDDED_REGISTRY: Registry = Object.freeze({
  source: SOURCE,
  async getSchema(stype: string): Promise<object> {
    const type = SType.parse(stype);
    const text = lookup(EMBEDDED_SCHEMAS, type.id);
    if (text === undefined) throw new UnknownStypeError(type.id, SOURCE);
    return (await loadEngine()).checkSchema(type, parseRegistryJson(text, `schema of ${type.id}`, SOURCE), SOURCE);
  },
  async has(stype: string): Promise<boolean> {
    return lookup(EMBEDDED_SCHEMAS, SType.parse(stype).id) !== undefined;
  },
  async list(): Promise<string[]> {
    return Object.keys(EMBEDDED_SCHEMAS).sort();
  },
  async getProfile(name: string): Promise<object | undefined> {
    checkProfileName(name);
    const text = lookup(EMBEDDED_PROFILES, name);
    return text === undefined ? undefined : checkProfile(parseRegistryJson(text, `QoM profile "${name}"`, SOURCE), name, SOURCE);
  },
});
