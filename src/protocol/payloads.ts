// The compile-time map from SType id to payload type, and the helpers that read it.
import type { StypePayloads } from '../registry/stype-payloads.generated.ts';

// The payload type of each SType the SDK ships (`OrgCalendarEventV1`…), and the map.
export type * from '../registry/stype-payloads.generated.ts';

/**
 * The SType ids the compiler knows a payload type for: the keys of {@link StypePayloads}
 * (the SDK's own registry, plus whatever your project adds by declaration merging).
 *
 * @example
 * const id: KnownStype = 'org.calendar.Event.v1';
 */
export type KnownStype = keyof StypePayloads & string;

/**
 * An SType id as the typed methods take it: a {@link KnownStype} (offered by your editor's
 * autocomplete, its payload checked) or any other string (its payload `unknown`).
 *
 * @example
 * function sendTo<S extends StypeId>(stype: S, payload: PayloadOf<S>) {
 *   return session.send(stype, payload);
 * }
 */
// `string & {}` keeps the literal ids in the union (and so in autocomplete) while still
// admitting every other string; a plain `| string` would swallow them.
export type StypeId = KnownStype | (string & {});

/**
 * The payload type of an SType: its entry in {@link StypePayloads}, `unknown` for an SType
 * the map does not know (or a plain `string`). The `urn:stype:` prefix is understood.
 *
 * @example
 * type Event = PayloadOf<'org.calendar.Event.v1'>;   // { title: string; start: string; … }
 * type Other = PayloadOf<'com.acme.Thing.v1'>;       // unknown
 */
export type PayloadOf<S extends string> = S extends `urn:stype:${infer Id}`
  ? PayloadOf<Id>
  : S extends KnownStype ? StypePayloads[S] : unknown;
