import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import type { PayloadOf, StypeId } from './payloads.ts';
import { SType } from './stype.ts';
import type { Provenance, QomReport, WireProvenance } from './types.ts';
import { keepName } from '../platform/class-name.ts';

/**
 * `b3:` and lowercase hex digits, as many as the length allows: with the length tested
 * first, the same strings as `/^b3:[0-9a-f]{64}$/` at some half its cost (in V8 the
 * counted form took 1,842 instructions a test, this one 1,009).
 */
const SEM_HASH = /^b3:[0-9a-f]+$/;
/** The length of a semantic hash's text: `b3:` and 64 hex digits. */
export const SEM_HASH_LENGTH = 67;
/** True for a semantic hash: `b3:` and 64 lowercase hex digits. */
export function isSemHash(value: unknown): value is string {
  return typeof value === 'string' && value.length === SEM_HASH_LENGTH && SEM_HASH.test(value);
}

/** `blake3:` and lowercase hex digits; tested at that label's length, as `SEM_HASH`. */
const LONG_LABEL = /^blake3:[0-9a-f]+$/;
const LONG_PREFIX = 'blake3:';
const LONG_LABEL_LENGTH = SEM_HASH_LENGTH - 'b3:'.length + LONG_PREFIX.length; // 71
/**
 * A peer's semantic hash as this SDK keeps it: `blake3:` and 64 lowercase hex digits, the
 * label upstream's documentation writes (`concepts/envelope.md`, the MCP guide's
 * `X-MPL-Sem-Hash`), is the same BLAKE3 hash under the label the reference core writes,
 * `b3:`; anything else is returned as it is (and refused where a hash is checked).
 * @internal
 */
export function readSemHash(value: unknown): unknown {
  // At the label's length only: a `b3:` hash, the usual one, skips the expression.
  return typeof value === 'string' && value.length === LONG_LABEL_LENGTH && LONG_LABEL.test(value) ? `b3:${value.slice(LONG_PREFIX.length)}` : value;
}

/**
 * A peer's `features`: a list of names as the reference core writes it, or, as upstream's
 * documentation shows it (`{"mpl.streaming": true, "mpl.batch": false}`, the handshake's
 * form), an object of flags: read as the names of those set `true`. Anything else is
 * returned as it is (and refused by the envelope's checks).
 */
function readFeatures(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const flags = Object.entries(value);
  return flags.every(([, on]) => typeof on === 'boolean') ? flags.filter(([, on]) => on).map(([name]) => name) : value;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** The last timestamp found valid: a peer's replies within one millisecond carry the same one. */
let lastValidTimestamp: string | undefined;

function isTimestamp(value: unknown): boolean {
  if (value === lastValidTimestamp) return true;
  if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) return false;
  lastValidTimestamp = value;
  return true;
}

let stampedAt = Number.NaN;
let stamp = '';

/**
 * `new Date().toISOString()`, made once per millisecond: the same text, without a `Date`
 * and its formatting for every envelope of a busy session. Internal (not re-exported).
 */
export function timestampNow(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/**
 * The fields of an envelope, camelCase. Only `id`, `stype` and `payload` are required.
 *
 * @example
 * new MplEnvelope({ id: newEnvelopeId(), stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' }, profile: 'qom-basic' });
 */
export interface MplEnvelopeInit<T = unknown> {
  id: string;
  /** SType of the payload, e.g. `org.calendar.Event.v1`. */
  stype: string;
  payload: T;
  /** SType of the arguments, for tool calls. */
  argsStype?: string;
  /** QoM profile the sender holds this message to. */
  profile?: string;
  /** `b3:` + 64 hex: BLAKE3 of the payload's canonical form. */
  semHash?: string;
  provenance?: Provenance;
  qomReport?: QomReport;
  features?: string[];
  /** RFC 3339, e.g. `new Date().toISOString()`. */
  timestamp?: string;
  /** The id of the request this envelope answers. */
  inReplyTo?: string;
  correlationId?: string;
  /** Wire members this SDK does not model, kept so nothing is lost in a round trip. */
  extra?: Record<string, unknown>;
}

/**
 * An envelope as it travels: snake_case, optional members omitted.
 *
 * @example
 * const wire: WireEnvelope = envelope.toWire();
 * wire.sem_hash; // 'b3:…' when the payload was hashed
 */
export interface WireEnvelope {
  id: string;
  stype: string;
  payload: unknown;
  args_stype?: string;
  profile?: string;
  sem_hash?: string;
  provenance?: WireProvenance;
  qom_report?: QomReport;
  features?: string[];
  timestamp?: string;
  in_reply_to?: string;
  correlation_id?: string;
  [extra: string]: unknown;
}

const KNOWN = new Set(['id', 'stype', 'payload', 'args_stype', 'profile', 'sem_hash', 'provenance', 'qom_report', 'features', 'timestamp', 'in_reply_to', 'correlation_id']);

function invalid(problems: string[], source: unknown): MplError {
  return new MplError(ErrorCode.InvalidEnvelope, `Malformed MPL envelope: ${problems.join('; ')}`, { details: { problems, received: source } });
}

const STRING_FIELDS = ['profile', 'inReplyTo', 'correlationId'] as const;

function checkFields(e: MplEnvelopeInit, problems: string[], field: (camel: keyof MplEnvelopeInit) => string): void {
  if (typeof e.id !== 'string' || e.id.length === 0) problems.push(`${field('id')} must be a non-empty string`);
  if (typeof e.stype !== 'string') problems.push(`${field('stype')} must be a string`);
  else if (!SType.isValid(e.stype)) problems.push(`${field('stype')} ${JSON.stringify(e.stype)} is not a valid SType`);
  if (e.payload === undefined) problems.push(`${field('payload')} is required`);
  if (e.argsStype !== undefined && (typeof e.argsStype !== 'string' || !SType.isValid(e.argsStype))) problems.push(`${field('argsStype')} must be a valid SType`);
  for (const key of STRING_FIELDS) {
    if (e[key] !== undefined && typeof e[key] !== 'string') problems.push(`${field(key)} must be a string`);
  }
  if (e.semHash !== undefined && !isSemHash(e.semHash)) problems.push(`${field('semHash')} must be "b3:" followed by 64 lowercase hex digits`);
  if (e.timestamp !== undefined && !isTimestamp(e.timestamp)) problems.push(`${field('timestamp')} must be an RFC 3339 date-time`);
  if (e.features !== undefined && (!Array.isArray(e.features) || e.features.some((f) => typeof f !== 'string'))) problems.push(`${field('features')} must be an array of strings`);
  if (e.qomReport !== undefined && (typeof e.qomReport !== 'object' || e.qomReport === null || Array.isArray(e.qomReport))) problems.push(`${field('qomReport')} must be an object`);
  if (e.provenance !== undefined) {
    const p = e.provenance as unknown;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) problems.push(`${field('provenance')} must be an object`);
    else if (typeof (p as Provenance).intent !== 'string') problems.push(`${field('provenance')}.intent is required (a string) when provenance is present`);
  }
}

/** Provenance members: wire name → name here (camelCase, `parent_id` → `parentId`). */
const PROVENANCE = new Map(['intent', 'agent', 'parent_id', 'inputs_ref', 'artifacts', 'consent_ref', 'policy_ref', 'signature']
  .map((wire) => [wire, wire.replace(/_(.)/, (_, c: string) => c.toUpperCase())]));

/**
 * Wire provenance read: known members camelCased (a null one is absent); the others, and
 * a known one of the wrong type, kept in `extra` under their wire names as they came
 * (`__proto__` too: `Object.fromEntries` defines a member, it sets no prototype).
 */
function provenanceFromWire(p: WireProvenance): Provenance {
  const out: Record<string, unknown> = {};
  let extra: Array<[string, unknown]> | undefined;
  for (const key of Object.keys(p)) {
    const value = p[key];
    const name = PROVENANCE.get(key);
    if (value === undefined) continue;
    // inputs_ref and artifacts are lists, the others strings.
    if (name !== undefined && (name === 'inputsRef' || name === 'artifacts' ? Array.isArray(value) : typeof value === 'string')) out[name] = value;
    else if (name === undefined || value !== null) (extra ??= []).push([key, value]);
  }
  if (extra) out['extra'] = Object.fromEntries(extra);
  return out as unknown as Provenance;
}

/**
 * Provenance as it travels: `extra` as it is, and the known members over it. An artifact
 * given as a string goes out as `{"ref": …}`, the reference core's form: its parser reads
 * only objects there, and refuses the whole envelope otherwise.
 */
function provenanceToWire(p: Provenance): WireProvenance {
  const out: Record<string, unknown> = { ...p.extra };
  for (const [wire, name] of PROVENANCE) {
    const value = (p as unknown as Record<string, unknown>)[name];
    if (value !== undefined) out[wire] = name === 'artifacts' ? (value as unknown[]).map((a) => (typeof a === 'string' ? { ref: a } : a)) : value;
  }
  return out as WireProvenance;
}

const WIRE_NAMES: Partial<Record<keyof MplEnvelopeInit, string>> = { argsStype: 'args_stype', semHash: 'sem_hash', qomReport: 'qom_report', inReplyTo: 'in_reply_to', correlationId: 'correlation_id' };
const wireName = (field: keyof MplEnvelopeInit): string => WIRE_NAMES[field] ?? field;
const ownName = (field: keyof MplEnvelopeInit): string => field;

/** Passed by `fromWire`, which has already checked the same fields under their wire names. Not exported. */
const CHECKED: unique symbol = Symbol('checked');

/**
 * Generates an envelope id: a random UUID (`crypto.randomUUID()`).
 *
 * @example
 * const id = newEnvelopeId(); // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function newEnvelopeId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * The wire text of an envelope the SDK builds itself (`id` from {@link newEnvelopeId}, a
 * parsed SType, the server's profile, a hash it computed, `timestamp` now), written
 * directly: the same bytes as `JSON.stringify(MplEnvelope.create(...))` with these
 * fields, without re-checking them or copying into a wire object. `undefined` when the
 * payload has no JSON form or cannot be serialized: the caller then takes the checked
 * path, which reports it. Internal (not re-exported).
 */
export function ownWireText(id: string, stype: string, payload: unknown, profile: string | undefined, semHash: string | undefined, timestamp: string): string | undefined {
  let body: string | undefined;
  try { body = JSON.stringify(payload); } catch { return undefined; }
  if (body === undefined) return undefined;
  // A UUID and a parsed SType (letters, digits, "_", "-", ".") need no escaping.
  let text = `{"id":"${id}","stype":"${stype}","payload":${body}`;
  if (profile !== undefined) text += `,"profile":${JSON.stringify(profile)}`;
  if (semHash !== undefined) text += `,"sem_hash":"${semHash}"`;
  return `${text},"timestamp":"${timestamp}"}`;
}

/**
 * The unit of MPL traffic: a typed payload with its SType, optional semantic hash,
 * provenance and QoM report. camelCase here, snake_case on the wire.
 *
 * @example
 * const env = MplEnvelope.create('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
 * socket.send(JSON.stringify(env));          // snake_case wire form
 * const back = MplEnvelope.fromWire(text);    // throws E-INVALID-ENVELOPE if malformed
 * back.getPayload('org.calendar.Event.v1').title; // typed from StypePayloads, SType checked
 */
export class MplEnvelope<T = unknown> {
  readonly id: string;
  readonly stype: string;
  readonly payload: T;
  readonly argsStype: string | undefined;
  readonly profile: string | undefined;
  readonly semHash: string | undefined;
  readonly provenance: Provenance | undefined;
  readonly qomReport: QomReport | undefined;
  readonly features: string[] | undefined;
  readonly timestamp: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly correlationId: string | undefined;
  readonly extra: Record<string, unknown> | undefined;

  /**
   * Builds an envelope from camelCase fields; throws `E-INVALID-ENVELOPE` if any is malformed.
   * (`checked` is internal: only `fromWire`, which checks the same fields itself, can pass it.)
   */
  constructor(init: MplEnvelopeInit<T>, checked?: typeof CHECKED) {
    if (checked !== CHECKED) {
      const problems: string[] = [];
      checkFields(init as MplEnvelopeInit, problems, ownName);
      if (problems.length) throw invalid(problems, init);
    }
    this.id = init.id;
    this.stype = SType.parse(init.stype).id;
    this.payload = init.payload;
    this.argsStype = init.argsStype === undefined ? undefined : SType.parse(init.argsStype).id;
    this.profile = init.profile;
    this.semHash = init.semHash;
    this.provenance = init.provenance;
    this.qomReport = init.qomReport;
    this.features = init.features;
    this.timestamp = init.timestamp;
    this.inReplyTo = init.inReplyTo;
    this.correlationId = init.correlationId;
    this.extra = init.extra;
  }

  /**
   * A new envelope with a fresh `id` and the current `timestamp`. The payload of an SType
   * that {@link StypePayloads} lists is checked by the compiler as `send()` checks it;
   * another SType's is what it is.
   *
   * @example
   * const event = MplEnvelope.create('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
   * MplEnvelope.create('org.calendar.Event.v1', { titel: 'Sync' }); // compile error: titel, and no start
   */
  static create<S extends string, T = PayloadOf<S>>(
    stype: S,
    payload: unknown extends PayloadOf<S> ? T : PayloadOf<S>,
    fields: Omit<MplEnvelopeInit, 'id' | 'stype' | 'payload'> & { id?: string } = {},
  ): MplEnvelope<unknown extends PayloadOf<S> ? T : PayloadOf<S>> {
    return new MplEnvelope({ id: newEnvelopeId(), timestamp: timestampNow(), ...fields, stype, payload });
  }

  /**
   * Reads an envelope from its wire form (an object or JSON text). A malformed envelope
   * throws `E-INVALID-ENVELOPE` listing every problem; nothing half-filled is returned.
   * `null` optional members are read as absent. What upstream's documentation writes is
   * read too: a `sem_hash` labelled `blake3:` (kept as `b3:`, the same hash), `features`
   * as an object of flags (kept as the names set `true`).
   */
  static fromWire<T = unknown>(input: unknown): MplEnvelope<T> {
    let obj: unknown = input;
    if (typeof input === 'string') {
      try { obj = JSON.parse(input); } catch (cause) {
        throw new MplError(ErrorCode.InvalidEnvelope, `Malformed MPL envelope: not JSON (${(cause as Error).message})`, { cause, details: { received: input.length > 200 ? `${input.slice(0, 200)}…` : input } });
      }
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw invalid([`expected a JSON object, got ${Array.isArray(obj) ? 'an array' : obj === null ? 'null' : typeof obj}`], input);
    }
    const w = obj as Record<string, unknown>;
    // Collected, then made in one step: linear in the members however many a peer sends (object
    // spreads in the loop cost their square: 20,000 members took minutes), and `fromEntries`
    // defines `__proto__` as a member too, setting no prototype.
    let unknown: Array<[string, unknown]> | undefined;
    for (const k of Object.keys(w)) if (!KNOWN.has(k)) (unknown ??= []).push([k, w[k]]);
    const extra = unknown && Object.fromEntries(unknown);
    // One object, read once: `null` optional members are absent; the checks name wire members.
    const init = {
      id: w['id'], stype: w['stype'], payload: w['payload'],
      argsStype: w['args_stype'] ?? undefined, profile: w['profile'] ?? undefined, semHash: readSemHash(w['sem_hash'] ?? undefined),
      provenance: w['provenance'] ?? undefined, qomReport: w['qom_report'] ?? undefined, features: readFeatures(w['features'] ?? undefined),
      timestamp: w['timestamp'] ?? undefined, inReplyTo: w['in_reply_to'] ?? undefined, correlationId: w['correlation_id'] ?? undefined,
      extra,
    } as MplEnvelopeInit<T>;
    const problems: string[] = [];
    checkFields(init as MplEnvelopeInit, problems, wireName);
    if (problems.length) throw invalid(problems, input);
    if (init.provenance !== undefined) init.provenance = provenanceFromWire(init.provenance as unknown as WireProvenance);
    return new MplEnvelope<T>(init, CHECKED);
  }

  /**
   * The payload. With an SType, checks that the envelope carries that SType (else throws
   * `E-UNKNOWN-STYPE`) and types the payload from {@link StypePayloads} (`unknown` for an
   * SType the map does not know). Without one, the payload typed as the caller says
   * (unchecked).
   *
   * @example
   * const event = reply.getPayload('org.calendar.Event.v1'); // OrgCalendarEventV1, or throws
   * const raw = reply.getPayload<{ title: string }>();       // unchecked cast
   */
  getPayload<P = T>(): P;
  getPayload<S extends StypeId>(stype: S): PayloadOf<S>;
  getPayload(stype?: string): unknown {
    const expected = stype === undefined ? this.stype : SType.parse(stype).id;
    if (expected !== this.stype) {
      throw new UnknownStypeError(expected, `envelope ${this.id}`, {
        message: `Envelope ${this.id} carries ${this.stype}, not ${expected}`,
        details: { actual: this.stype },
      });
    }
    return this.payload;
  }

  /**
   * True when the envelope carries `stype` (with or without `urn:stype:`); narrows its
   * `payload` to that SType's type from {@link StypePayloads}. Throws `E-INVALID-STYPE`
   * for a malformed SType.
   *
   * @example
   * if (reply.is('org.agent.TaskResult.v1')) console.log(reply.payload.status); // 'completed' | 'failed' | …
   */
  is<S extends StypeId>(stype: S): this is MplEnvelope<PayloadOf<S>> {
    return SType.parse(stype).id === this.stype;
  }

  /** The wire form: snake_case, optional members omitted (never `null`). */
  toWire(): WireEnvelope {
    const out: WireEnvelope = { ...this.extra, id: this.id, stype: this.stype, payload: this.payload };
    if (this.argsStype !== undefined) out.args_stype = this.argsStype;
    if (this.profile !== undefined) out.profile = this.profile;
    if (this.semHash !== undefined) out.sem_hash = this.semHash;
    if (this.provenance !== undefined) out.provenance = provenanceToWire(this.provenance);
    if (this.qomReport !== undefined) out.qom_report = this.qomReport;
    if (this.features !== undefined) out.features = this.features;
    if (this.timestamp !== undefined) out.timestamp = this.timestamp;
    if (this.inReplyTo !== undefined) out.in_reply_to = this.inReplyTo;
    if (this.correlationId !== undefined) out.correlation_id = this.correlationId;
    return out;
  }

  /** Same as `toWire()`, so `JSON.stringify(envelope)` gives the wire text. */
  toJSON(): WireEnvelope {
    return this.toWire();
  }

  /** A copy with some fields replaced. */
  with(fields: Partial<MplEnvelopeInit<T>>): MplEnvelope<T> {
    const base: MplEnvelopeInit<T> = { id: this.id, stype: this.stype, payload: this.payload };
    for (const k of ['argsStype', 'profile', 'semHash', 'provenance', 'qomReport', 'features', 'timestamp', 'inReplyTo', 'correlationId', 'extra'] as const) {
      if (this[k] !== undefined) (base as unknown as Record<string, unknown>)[k] = this[k];
    }
    return new MplEnvelope<T>({ ...base, ...fields } as MplEnvelopeInit<T>);
  }
}
keepName(MplEnvelope, 'MplEnvelope');
