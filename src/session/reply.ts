import { ConnectionError } from '../errors/connection-error.ts';
import { errorFromWire, isWireError } from '../errors/from-wire.ts';
import { isSemHash, MplEnvelope, newEnvelopeId, type MplEnvelopeInit } from '../protocol/envelope.ts';
import { isJsonObject } from '../protocol/json.ts';
import { SType } from '../protocol/stype.ts';
import type { InboundMessage } from './transport.ts';

/** A reply read into an envelope; `declaredStype` is false when the SType was borrowed from the request. */
export interface ReadReply {
  envelope: MplEnvelope;
  declaredStype: boolean;
}

type Obj = Record<string, unknown>;

/** True for an object with the three members every envelope has. */
export function looksLikeEnvelope(data: unknown): data is Obj {
  return isJsonObject(data) && typeof data['id'] === 'string' && typeof data['stype'] === 'string' && 'payload' in data;
}

/**
 * Where the response envelope of an HTTP `send()` keeps the server's `X-MPL-QoM-Result`
 * header: `envelope.extra['x-mpl-qom-result']` is `'pass'` or `'fail'` (absent when the
 * header is). The header names no metric, so the session never throws `QomBreachError`
 * for it (a `qom_report` in the reply body is still checked against the negotiated
 * profile); the caller decides what a `'fail'` means.
 *
 * @example
 * const reply = await session.send('org.calendar.Event.v1', event);
 * if (reply.extra?.[QOM_RESULT_KEY] === 'fail') console.warn('the server says QoM failed');
 */
export const QOM_RESULT_KEY = 'x-mpl-qom-result';

/**
 * Reads a reply, whatever its shape, into the response envelope; throws the matching
 * `MplError` for an error reply (`{"error": "E-…"}` or an HTTP error status).
 *
 * - a full envelope is read as it is;
 * - the proxy's `mpl-response` becomes an envelope of its `stype` and `payload` (its other
 *   members, such as `validation`, are kept in `extra`);
 * - anything else (a `passthrough`, an upstream's plain JSON) becomes the payload, with
 *   the SType of `X-MPL-SType` if the server sent one, else the request's.
 */
export function readReply(message: InboundMessage, request: { id: string; stype: string }, endpoint: string): ReadReply {
  const read = readBody(message, request, endpoint);
  const qomResult = message.headers?.[QOM_RESULT_KEY]?.trim().toLowerCase();
  if (qomResult !== 'pass' && qomResult !== 'fail') return read;
  // The header names no metric, so it cannot be judged against the profile: it is kept, not thrown.
  return { ...read, envelope: read.envelope.with({ extra: { ...read.envelope.extra, [QOM_RESULT_KEY]: qomResult } }) };
}

function readBody(message: InboundMessage, request: { id: string; stype: string }, endpoint: string): ReadReply {
  const { data, status, headers = {} } = message;
  if (isWireError(data)) throw errorFromWire(data, { stype: request.stype, endpoint, ...(status === undefined ? {} : { status }) });
  if (status !== undefined && (status < 200 || status >= 300)) {
    throw new ConnectionError(`${endpoint} answered HTTP ${status} to ${request.stype} request ${request.id}`, { endpoint, details: { status, body: data } });
  }
  if (looksLikeEnvelope(data)) return { envelope: MplEnvelope.fromWire(data), declaredStype: true };
  const base: Omit<MplEnvelopeInit, 'stype' | 'payload'> = { id: newEnvelopeId(), inReplyTo: request.id };
  if (isJsonObject(data) && data['type'] === 'mpl-response' && typeof data['stype'] === 'string' && SType.isValid(data['stype'])) {
    const { stype, payload = null, ...rest } = data;
    return { envelope: new MplEnvelope({ ...base, stype: stype as string, payload, extra: rest }), declaredStype: true };
  }
  const headerStype = headers['x-mpl-stype'];
  const declaredStype = headerStype !== undefined && SType.isValid(headerStype);
  const semHash = headers['x-mpl-sem-hash'];
  return {
    envelope: new MplEnvelope({
      ...base,
      stype: declaredStype ? headerStype : request.stype,
      payload: data,
      ...(isSemHash(semHash) ? { semHash } : {}),
    }),
    declaredStype,
  };
}
