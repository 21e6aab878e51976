import { ErrorCode } from '../errors/codes.ts';
import { QomBreachError } from '../errors/qom-breach-error.ts';
import { SchemaFidelityError } from '../errors/schema-fidelity-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { isSemHash, MplEnvelope, newEnvelopeId, readSemHash } from './envelope.ts';
import { isJsonObject } from './json.ts';
import { readWireError } from './peer-error.ts';
import { SType } from './stype.ts';

type Obj = Record<string, unknown>;

/**
 * Where the response envelope keeps the server's `X-MPL-QoM-Result` header (or the
 * proxy's `validation.qom_passed` in an `mpl-response` frame):
 * `envelope.extra['x-mpl-qom-result']` is `'pass'` or `'fail'` (absent when neither is).
 * The header names no metric, so it is never thrown as a `QomBreachError` (a `qom_report`
 * in the reply body is still checked against the profile); the caller decides what a
 * `'fail'` means.
 *
 * @example
 * const reply = await session.send('org.calendar.Event.v1', event);
 * if (reply.extra?.[QOM_RESULT_KEY] === 'fail') console.warn('the server says QoM failed');
 */
export const QOM_RESULT_KEY = 'x-mpl-qom-result';

/**
 * The verdict of an `X-MPL-QoM-Result` header: `'pass'`, `'fail'`, or `undefined` for
 * another value. A header given twice reaches `fetch` as one value joined with commas
 * (the proxy appends its own to its upstream's): any `fail` fails, all `pass` passes.
 *
 * @example
 * qomResultOf('pass, pass'); // 'pass'
 */
export function qomResultOf(header: string | undefined): 'pass' | 'fail' | undefined {
  return verdictOf(header, 'pass', 'fail');
}

/** A verdict header's values (comma-joined when given twice): any `fail` fails, all `pass` pass. */
function verdictOf(header: string | undefined, pass: string, fail: string): 'pass' | 'fail' | undefined {
  if (header === undefined) return undefined;
  const values = header.split(',').map((value) => value.trim().toLowerCase());
  if (values.includes(fail)) return 'fail';
  return values.every((value) => value === pass) ? 'pass' : undefined;
}

/**
 * The QoM verdict of a reply's headers (lower-case names): `X-MPL-QoM-Result` (`pass` /
 * `fail`, what the reference proxy sends) and `X-MPL-QoM-Pass` (`true` / `false`, what
 * upstream's MCP guide shows). Any that fails fails; both given (or the one given) must pass
 * to pass; `undefined` when neither is given or one cannot be read.
 *
 * @example
 * qomHeaderVerdict({ 'x-mpl-qom-result': 'pass', 'x-mpl-qom-pass': 'false' }); // 'fail'
 */
export function qomHeaderVerdict(headers: Record<string, string>): 'pass' | 'fail' | undefined {
  const result = headers[QOM_RESULT_KEY];
  const pass = headers['x-mpl-qom-pass'];
  const verdicts = [
    ...(result === undefined ? [] : [qomResultOf(result)]),
    ...(pass === undefined ? [] : [verdictOf(pass, 'true', 'false')]),
  ];
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.length > 0 && verdicts.every((v) => v === 'pass') ? 'pass' : undefined;
}

/**
 * What a reply answers and how it came.
 *
 * @example
 * const context: ReplyContext = { request: { id: envelope.id, stype: envelope.stype }, status: 200, headers: { 'x-mpl-stype': 'org.calendar.Event.v1' } };
 */
export interface ReplyContext {
  /** The request it answers: its id and SType. */
  request: { id: string; stype: string };
  /** The HTTP status, for replies over HTTP. */
  status?: number | undefined;
  /** `X-MPL-*` response headers, lower-case names. */
  headers?: Record<string, string> | undefined;
  endpoint?: string | undefined;
  /** What the caller was doing, for messages (`send org.calendar.Event.v1`). */
  operation?: string | undefined;
}

/**
 * A reply, read: the envelope it is or wraps (its hash, schema and QoM report still to be
 * checked; `declaredStype` is false when the SType was borrowed from the request), or the
 * `MplError` it says.
 *
 * @example
 * const read: PeerReply = readPeerReply(body, { request: { id, stype } }, (status) => new MplError('E-HTTP-STATUS', `HTTP ${status}`));
 * const payload = read.ok ? read.envelope.payload : undefined;
 */
export type PeerReply =
  | { ok: true; envelope: MplEnvelope; declaredStype: boolean }
  | { ok: false; error: MplError };

/**
 * True for an object with the three members every envelope has (`id`, `stype`, `payload`).
 *
 * @example
 * looksLikeEnvelope({ id: 'e1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } }); // true
 * looksLikeEnvelope({ type: 'mpl-response', stype: 'org.agent.Heartbeat.v1', payload: {} });      // false: no id
 */
export function looksLikeEnvelope(data: unknown): data is Record<string, unknown> {
  return isJsonObject(data) && typeof data['id'] === 'string' && typeof data['stype'] === 'string' && 'payload' in data;
}

/**
 * The envelope a reply wraps: `{"mpl_envelope":{…}}`, `{"type":"response","content":[{…}]}`,
 * or the reply itself when it carries a payload with its SType, hash or QoM report but is
 * no full envelope (`{"payload","qom_report","sem_hash"}`, the proxy's `mpl-response`).
 * Reads without copying; {@link wrapped} adds the wrapper's other members.
 */
function innerOf(body: Obj): Obj | undefined {
  const envelope = body['mpl_envelope'];
  if (isJsonObject(envelope)) return envelope;
  const content = body['content'];
  if (Array.isArray(content) && isJsonObject(content[0]) && 'payload' in content[0]) return content[0];
  if ('payload' in body && ('stype' in body || 'sem_hash' in body || 'qom_report' in body)) return body;
  return undefined;
}

/** The envelope a reply wraps (see {@link innerOf}) and the wrapper's other members. */
function wrapped(body: Obj): { inner: Obj; wrapper: Obj | undefined } | undefined {
  const inner = innerOf(body);
  if (inner === undefined || inner === body) return inner && { inner, wrapper: undefined };
  const { mpl_envelope: envelope, content, ...rest } = body;
  if (inner === envelope) return { inner, wrapper: rest };
  return { inner, wrapper: { ...rest, ...((content as unknown[]).length > 1 ? { content: (content as unknown[]).slice(1) } : {}) } };
}

const MARKERS = ['in_reply_to', 'correlation_id'] as const;

function markersOf(data: Obj, out: string[]): void {
  for (const key of MARKERS) if (typeof data[key] === 'string') out.push(data[key]);
  const provenance = data['provenance'];
  if (isJsonObject(provenance) && typeof provenance['parent_id'] === 'string') out.push(provenance['parent_id']);
}

/**
 * The request ids a frame names explicitly: `in_reply_to`, `correlation_id`,
 * `provenance.parent_id`, on the frame, on its `error` object and on the envelope it wraps.
 * (A frame's own `id` may also name a request, by the convention of upstream's TypeScript
 * SDK; it is not listed here because it names the frame itself just as often.)
 *
 * @example
 * replyMarkers({ type: 'error', error: { code: 'E-QOM-BREACH' }, in_reply_to: 'req-1' }); // ['req-1']
 */
export function replyMarkers(data: unknown): string[] {
  const out: string[] = [];
  if (!isJsonObject(data)) return out;
  markersOf(data, out);
  if (isJsonObject(data['error'])) markersOf(data['error'], out);
  const inner = innerOf(data);
  if (inner && inner !== data) markersOf(inner, out);
  return out;
}

/**
 * The usual reply on a WebSocket: a full envelope that names `id` in `in_reply_to`, with no
 * `error` and no proxy `validation`. `readPeerReply` reads it as the envelope it is (whatever
 * else names a request, the reply names this one; no error form or verdict can apply), which
 * is what its general reading comes to for such a body: it is read at once, without looking
 * for the other shapes (after a round trip's checks, that was its largest cost).
 */
function isPlainReply(body: unknown, id: string): body is Obj {
  return isJsonObject(body) && body['in_reply_to'] === id && typeof body['id'] === 'string' && typeof body['stype'] === 'string' && 'payload' in body
    && body['error'] === undefined && body['validation'] === undefined;
}

const isSuccess = (status: number | undefined): boolean => status === undefined || (status >= 200 && status < 300);

/**
 * Reads a peer's reply to `context.request`, whatever its shape:
 * - an MPL error in any form (see `readWireError`), with any HTTP status: `{ ok: false, error }`
 *   with the error's own class;
 * - another non-2xx answer: `{ ok: false, error: statusError(status, body) }`;
 * - a full envelope, as it is; a wrapped one (`mpl_envelope`, `content[0]`, a bare
 *   `{payload, sem_hash, qom_report}`, the proxy's `mpl-response`), unwrapped: the inner
 *   SType, payload, hash and QoM report are the reply's, the wrapper's other members are in
 *   `extra` (`extra.wrapper` for an outer object);
 * - the reference proxy's `{"type":"passthrough"}` (it could not read the request as an
 *   envelope): `E-INVALID-ENVELOPE`;
 * - anything else (an upstream's plain JSON, text) becomes the payload,
 *   with the SType of `X-MPL-SType` if the server sent one, else the request's, and the
 *   hash of `X-MPL-Sem-Hash`.
 * The `X-MPL-QoM-Result` (or `X-MPL-QoM-Pass`) header's verdict is kept in `extra` under {@link QOM_RESULT_KEY}.
 *
 * @example
 * const read = readPeerReply(JSON.parse(frame), { request: { id, stype } }, () => new MplError('E-HTTP-STATUS', 'not 2xx'));
 * if (!read.ok) throw read.error;
 */
export function readPeerReply(body: unknown, context: ReplyContext, statusError: (status: number, body: unknown) => MplError): PeerReply {
  const { request, status, headers = {} } = context;
  if (status === undefined && context.headers === undefined && isPlainReply(body, request.id)) return readEnvelope(body, request, headers, undefined);
  const error = readWireError(body, { stype: request.stype, status, endpoint: context.endpoint, operation: context.operation });
  if (error) return { ok: false, error };
  if (!isSuccess(status)) return { ok: false, error: statusError(status!, body) };
  const unread = passthroughOf(body, context);
  if (unread) return { ok: false, error: unread };
  // A reply that names requests (on it, its error, or the envelope it wraps) must name this one:
  // never taken for this request's answer when it says it answers another.
  const named = replyMarkers(body);
  const refuse = (problem: string, details: Record<string, unknown>): PeerReply =>
    ({ ok: false, error: new MplError(ErrorCode.InvalidEnvelope, `${context.operation ?? `send ${request.stype}`}: ${problem}`, { details }) });
  const foreign = (inReplyTo: string): PeerReply => refuse(`the reply answers ${inReplyTo}, not ${request.id}`, { sent: request.id, inReplyTo });
  if (named.length > 0 && !named.includes(request.id)) return foreign(named.join(', '));
  const sentHash = readSemHash(headers['x-mpl-sem-hash']);
  // Not a hash this SDK can check (upper-case hex, no `b3:`…): refused rather than shown unchecked.
  if (sentHash !== undefined && !isSemHash(sentHash)) return refuse(`X-MPL-Sem-Hash ${JSON.stringify(String(sentHash).slice(0, 80))} is not a semantic hash (b3: and 64 lower-case hex digits)`, { semHash: sentHash });
  const read = readEnvelope(body, request, headers, sentHash);
  if (!read.ok) return read;
  // Its `in_reply_to` above all must name this request, whatever else names it.
  const { inReplyTo } = read.envelope;
  if (inReplyTo !== undefined && inReplyTo !== request.id) return foreign(inReplyTo);
  const invalid = invalidVerdict(read.envelope, body);
  if (invalid) return { ok: false, error: invalid };
  // Any verdict that fails fails: a header's "pass" does not outweigh the proxy's own `qom_passed: false`.
  const verdicts = [qomHeaderVerdict(headers), proxyQomVerdict(read.envelope)];
  const qomResult = verdicts.includes('fail') ? 'fail' : verdicts.includes('pass') ? 'pass' : undefined;
  if (qomResult === undefined) return read;
  return { ...read, envelope: read.envelope.with({ extra: { ...read.envelope.extra, [QOM_RESULT_KEY]: qomResult } }) };
}

/** {@link envelopeOf}, the envelope's own refusal (`E-INVALID-ENVELOPE`) as the reply's error. */
function readEnvelope(body: unknown, request: { id: string; stype: string }, headers: Record<string, string>, semHash: string | undefined): PeerReply {
  try {
    return envelopeOf(body, request, headers, semHash);
  } catch (cause) {
    if (cause instanceof MplError) return { ok: false, error: cause };
    throw cause;
  }
}

function envelopeOf(body: unknown, request: { id: string; stype: string }, headers: Record<string, string>, semHash: string | undefined): { ok: true; envelope: MplEnvelope; declaredStype: boolean } {
  if (looksLikeEnvelope(body)) return { ok: true, envelope: MplEnvelope.fromWire(body), declaredStype: true };
  const headerStype = headers['x-mpl-stype'];
  const stypeFromHeader = headerStype !== undefined && SType.isValid(headerStype);
  const fallbackStype = stypeFromHeader ? headerStype : request.stype;
  const found = isJsonObject(body) ? wrapped(body) : undefined;
  if (found) {
    const { inner, wrapper } = found;
    const wire: Obj = { ...inner, id: inner['id'] ?? wrapper?.['id'] ?? newEnvelopeId(), stype: inner['stype'] ?? fallbackStype };
    if (wire['in_reply_to'] === undefined && wire['correlation_id'] === undefined) wire['in_reply_to'] = request.id;
    if (wrapper !== undefined) wire['wrapper'] = wrapper;
    return { ok: true, envelope: MplEnvelope.fromWire(wire), declaredStype: typeof inner['stype'] === 'string' || stypeFromHeader };
  }
  return {
    ok: true,
    envelope: new MplEnvelope({ id: newEnvelopeId(), inReplyTo: request.id, stype: fallbackStype, payload: body, ...(semHash === undefined ? {} : { semHash }) }),
    declaredStype: stypeFromHeader,
  };
}

/** The proxy's own QoM verdict in an `mpl-response` frame (`validation.qom_passed`), kept as its header would be. */
function proxyQomVerdict(envelope: MplEnvelope): 'pass' | 'fail' | undefined {
  const validation = envelope.extra?.['validation'];
  if (!isJsonObject(validation) || typeof validation['qom_passed'] !== 'boolean') return undefined;
  return validation['qom_passed'] ? 'pass' : 'fail';
}

/**
 * The proxy's `mpl-response` whose `validation` says the envelope is invalid, as the error
 * it names: `schema_valid: false` a `SchemaFidelityError`; else `qom_passed: false` a
 * `QomBreachError` (the verdict names no metric: `metric` is `qom_passed`); else (the
 * schema and QoM passed, yet `valid` is false: in the reference proxy a semantic hash that
 * did not match, or a failed assertion) an `E-PEER-ERROR` saying so. (The proxy in its
 * transparent mode sends such a frame rather than blocking.)
 */
function invalidVerdict(envelope: MplEnvelope, body: unknown): MplError | undefined {
  const validation = envelope.extra?.['validation'];
  if (!isJsonObject(validation) || (validation['valid'] !== false && validation['schema_valid'] !== false)) return undefined;
  const said = `validation: ${JSON.stringify(validation)}`;
  const details = { validation, server: body };
  if (validation['schema_valid'] === false) {
    return new SchemaFidelityError(envelope.stype, [], { message: `The server found the ${envelope.stype} payload invalid (${said})`, details });
  }
  if (validation['qom_passed'] === false) {
    const profile = envelope.profile ?? 'unknown';
    return new QomBreachError(
      { metric: 'qom_passed', expected: Number.NaN, actual: undefined, profile, message: `The server found the ${envelope.stype} envelope below its QoM profile${envelope.profile ? ` ${profile}` : ''} (${said})` },
      { details },
    );
  }
  return new MplError(ErrorCode.PeerError, `The server found the ${envelope.stype} envelope invalid though its schema and QoM passed (${said}): the reference proxy says so for a semantic hash that does not match or a failed assertion`, { details });
}

/**
 * The reference proxy's answer to a frame it could not read as an envelope (a payload
 * nested deeper than its parser's 128 levels, a member of a type it does not take):
 * `{"type":"passthrough","message":<the frame>}`. The request was neither validated nor
 * forwarded, so it is an error, never the reply's payload.
 */
function passthroughOf(body: unknown, context: ReplyContext): MplError | undefined {
  if (!isJsonObject(body) || body['type'] !== 'passthrough' || typeof body['message'] !== 'string' || 'payload' in body) return undefined;
  const { request } = context;
  const message = body['message'];
  return new MplError(ErrorCode.InvalidEnvelope,
    `${context.operation ?? `send ${request.stype}`}: ${context.endpoint ?? 'the peer'} could not read request ${request.id} as an MPL envelope and passed it through unread ({"type":"passthrough"}, as the reference proxy answers a frame it cannot parse: nesting deeper than 128 levels, or a member of a type it does not take); it was neither validated nor forwarded`,
    { details: { requestId: request.id, answer: 'passthrough', message: message.length > 200 ? `${message.slice(0, 200)}…` : message, server: body } });
}
