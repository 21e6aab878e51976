import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { checkProfile, checkProfileName, parseRegistryJson, type Registry } from './registry.ts';
import { loadEngine } from './load-engine.ts';
import { onDemand } from '../platform/on-demand.ts';

const SOURCE = 'the embedded registry';

// The data is its own chunk, loaded on first use: sessions with another registry never load it.
const embedded = /* @__PURE__ */ onDemand('embedded registry', () => import('./embedded-data.generated.ts'));

const lookup = (table: Readonly<Record<string, string>>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

const EMBEDDED: Registry = Object.freeze({
  source: SOURCE,
  async getSchema(stype: string): Promise<object> {
    const type = SType.parse(stype);
    const text = lookup((await embedded()).EMBEDDED_SCHEMAS, type.id);
    if (text === undefined) throw new UnknownStypeError(type.id, SOURCE);
    return (await loadEngine()).checkSchema(type, parseRegistryJson(text, `schema of ${type.id}`, SOURCE), SOURCE);
  },
  async has(stype: string): Promise<boolean> {
    const type = SType.parse(stype);
    return lookup((await embedded()).EMBEDDED_SCHEMAS, type.id) !== undefined;
  },
  async list(): Promise<string[]> {
    return Object.keys((await embedded()).EMBEDDED_SCHEMAS).sort();
  },
  async getProfile(name: string): Promise<object | undefined> {
    checkProfileName(name);
    const text = lookup((await embedded()).EMBEDDED_PROFILES, name);
    return text === undefined ? undefined : checkProfile(parseRegistryJson(text, `QoM profile "${name}"`, SOURCE), name, SOURCE);
  },
});

/**
 * The schemas and QoM profiles of this package's `registry/` folder, built into the
 * package: validation with no file system and no network, in every runtime. The default
 * registry of a session. The embedded copies leave out annotations (`title`,
 * `description`) to stay small; {@link directoryRegistry} and {@link httpRegistry} serve
 * the documented originals.
 *
 * @example
 * const registry = embeddedRegistry();
 * await registry.list(); // ['ai.completion.Request.v1', …, 'org.calendar.Event.v1', …]
 * await registry.getProfile('qom-basic'); // { name: 'qom-basic', metrics: {…}, … }
 */
export function embeddedRegistry(): Registry {
  return EMBEDDED;
}
