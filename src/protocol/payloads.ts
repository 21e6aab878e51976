// The compile-time map from SType id to payload type, and the helpers that read it.
import type { StypePayloads } from '../registry/stype-payloads.generated.ts';

// The payload type of each SType the SDK ships (`OrgCalendarEventV1`…), and the map.
export type * from '../registry/stype-payloads.generated.ts';

/**
 * The payload types of your project's registry, by SType id: empty here, filled by the file
 * `mpl-sdk types <registry>` writes (declaration merging). An entry here wins over the SDK's
 * own ({@link StypePayloads}) for the same id: your registry's schema is the one your
 * peers check against, even where it differs from the one the SDK ships.
 *
 * @example
 * declare module 'mpl-sdk' {
 *   interface RegistryPayloads { 'com.acme.finance.Trade.v2': { symbol: string; quantity: number } }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface RegistryPayloads {}

/**
 * The SType ids the compiler knows a payload type for: the keys of {@link RegistryPayloads}
 * (your registry, from `mpl-sdk types`) and of {@link StypePayloads} (the SDK's own
 * registry, plus whatever your project adds to it by declaration merging).
 *
 * @example
 * const id: KnownStype = 'org.calendar.Event.v1';
 */
export type KnownStype = (keyof RegistryPayloads | keyof StypePayloads) & string;

/**
 * Compile-time settings a project switches on by declaration merging. Today one:
 * `knownStypesOnly: true` makes the typed methods take only a {@link KnownStype} (or its
 * `urn:stype:` form), so a misspelt SType does not compile instead of turning its payload
 * `unknown`; an SType of your own then needs its types (`mpl-sdk types`), and a string
 * known only at run time a cast (`stype as KnownStype`).
 *
 * @example
 * declare module 'mpl-sdk' {
 *   interface TypingOptions { knownStypesOnly: true }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TypingOptions {}

/**
 * An SType id as the typed methods take it: a {@link KnownStype} (offered by your editor's
 * autocomplete, its payload checked) or any other string (its payload `unknown`); only a
 * known one (or its `urn:stype:` form) when {@link TypingOptions} says `knownStypesOnly`.
 *
 * @example
 * function sendTo<S extends StypeId>(stype: S, payload: PayloadOf<S>) {
 *   return session.send(stype, payload);
 * }
 */
// `string & {}` keeps the literal ids in the union (and so in autocomplete) while still
// admitting every other string; a plain `| string` would swallow them.
export type StypeId = TypingOptions extends { knownStypesOnly: true } ? KnownStype | `urn:stype:${KnownStype}` : KnownStype | (string & {});

/**
 * The payload type of an SType: its entry in {@link RegistryPayloads}, else in
 * {@link StypePayloads}, `unknown` for an SType neither knows (or a plain `string`). The
 * `urn:stype:` prefix is understood.
 *
 * @example
 * type Event = PayloadOf<'org.calendar.Event.v1'>;   // { title: string; start: string; … }
 * type Other = PayloadOf<'com.acme.Thing.v1'>;       // unknown
 */
export type PayloadOf<S extends string> = S extends `urn:stype:${infer Id}`
  ? PayloadOf<Id>
  : S extends keyof RegistryPayloads ? RegistryPayloads[S]
    : S extends keyof StypePayloads ? StypePayloads[S] : unknown;
