import type { Core } from './core.ts';
import { ANY, Reply, makeReply, type HandlerContext } from './handler.ts';
import type { HttpIn } from './http-in.ts';
import { inspectEnvelope, passed, schemaIssues, type Inspection } from './inspect.ts';
import type { PeerSession } from './peer-session.ts';
import { measure, qomReport } from './qom.ts';
import { ErrorCode, MplEnvelope, MplError, SType, loadHasher, type QomReport, type ValidationIssue } from './sdk.ts';
import { errorAnswer, statusOf, type ErrorAnswer } from './wire.ts';

/** A handled envelope's reply, before it is written as an envelope or a proxy frame. */
export interface ReplyAnswer {
  kind: 'reply';
  stype: string;
  payload: unknown;
  semHash: string;
  profile: string | undefined;
  report: QomReport & { meets_profile: boolean };
  /** Whether the reply carries its report (`qomReports`). */
  withReport: boolean;
  validation: { valid: boolean; schema_valid: boolean; qom_passed: boolean };
}

/** What one envelope came to: the answer, and what to record about it. */
export interface Exchange {
  answer: ReplyAnswer | ErrorAnswer;
  /** The request's id, when it could be read. */
  requestId: string | undefined;
  inspection: Inspection;
  valid: boolean;
  blocked: boolean;
}

/** Where an envelope came from. */
export interface Origin {
  transport: 'ws' | 'http';
  session: PeerSession | undefined;
  /** The HTTP request that carried it: when its client goes away, and the web Request when a handler asks for it. */
  http: Pick<HttpIn, 'whenGone' | 'request'> | undefined;
  /** The profile negotiated on the session, for an envelope that names none. */
  negotiatedProfile: string | undefined;
}

const INTERNAL = ErrorCode.Internal;

/**
 * Runs the handler under the time limit; a timeout aborts `signal` and rejects with
 * E-TIMEOUT (a handler that answers at once, not with a promise, sets no timer). `signal`
 * is aborted too when the peer goes: the HTTP client before the answer, or the WebSocket
 * session (it closed). The handler is still awaited then (its turn at the gate is held
 * until it ends, as long as it runs within its limit); the abort it ends with becomes that
 * E-CONNECTION-FAILED, answered to no one and not reported, while anything else it throws
 * is reported as ever. A handler whose peer has gone before it starts is not called.
 *
 * The signal is made when the handler first reads `ctx.signal` (already aborted if its
 * time or its peer went before): an `AbortController` costs a few microseconds, a large
 * part of a small envelope's handling, and most handlers never look at it.
 */
async function runHandler(core: Core, envelope: MplEnvelope, ctx: Omit<HandlerContext, 'signal' | 'request'>, http: Origin['http']): Promise<unknown> {
  const handler = core.handlers.get(envelope.stype) ?? core.handlers.get(ANY);
  if (handler === undefined) return undefined;
  let controller: AbortController | undefined;
  /** Why the handler's work was called off (the first reason wins, as with `AbortController.abort`). */
  let abortedWith: { reason: unknown } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Once its peer is gone, a handler's time limit no longer keeps the process alive: the
   * handler keeps its turn until it ends or its time runs out (a slot of the server's), but
   * a server closed meanwhile does not wait for a timer whose answer would go to no one.
   */
  const letGo = (): void => { if (abortedWith !== undefined) (timer as { unref?: () => void } | undefined)?.unref?.(); };
  const abort = (reason: unknown): void => {
    if (abortedWith !== undefined) return;
    abortedWith = { reason };
    controller?.abort(reason);
    letGo();
  };
  const forget = whenGone(ctx, http, (cause) => abort(peerGone(ctx.transport, cause)));
  const context: HandlerContext = {
    ...ctx,
    get request(): Request | undefined {
      return http?.request();
    },
    get signal(): AbortSignal {
      if (controller === undefined) {
        controller = new AbortController();
        if (abortedWith !== undefined) controller.abort(abortedWith.reason);
      }
      return controller.signal;
    },
  };
  try {
    if (abortedWith !== undefined) throw abortedWith.reason;
    const result = handler(envelope, context);
    // A handler that answered at once has nothing to time: the limit's timer is set only for one that did not.
    if (!isThenable(result)) return result;
    const limit = core.limits.handlerTimeoutMs;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new MplError('E-TIMEOUT', `The handler for ${envelope.stype} did not answer within ${limit} ms`, { details: { timeout_ms: limit } });
        abort(error);
        reject(error);
      }, limit);
      letGo(); // its peer may have left already
    });
    return await Promise.race([result, timeout]);
  } catch (error) {
    const reason: unknown = abortedWith?.reason;
    throw reason instanceof MplError && peerGoneErrors.has(reason) && isTheAbort(error, reason) ? reason : error;
  } finally {
    clearTimeout(timer);
    forget();
  }
}

/** Whether a value is a promise or another thenable (which `await` would wait for). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return ((typeof value === 'object' && value !== null) || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Whether a handler ended with the abort of its signal (`reason`): rethrown, as a cause, or as an `AbortError`. */
function isTheAbort(error: unknown, reason: unknown): boolean {
  return error === reason || (error as { cause?: unknown } | null)?.cause === reason || (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** The reasons `runHandler` aborts a handler with when its peer went away: answered to no one, reported nowhere. */
const peerGoneErrors = new WeakSet<MplError>();

/** Calls `onGone` when the handler's peer goes: its session closes, or its HTTP client goes away (`cause`: why). Returns the function that forgets it. */
function whenGone(ctx: Omit<HandlerContext, 'signal' | 'request'>, http: Origin['http'], onGone: (cause?: unknown) => void): () => void {
  if (ctx.session) return ctx.session.whenClosed(onGone);
  return http === undefined ? () => {} : http.whenGone(onGone);
}

/** Why a handler's signal aborts when its peer went away (the HTTP request's abort reason as its cause). */
function peerGone(transport: 'ws' | 'http', cause: unknown): MplError {
  const message = transport === 'http' ? 'The HTTP client went away before the answer' : 'The WebSocket session closed before the answer';
  const error = new MplError('E-CONNECTION-FAILED', message, cause === undefined ? {} : { cause });
  peerGoneErrors.add(error);
  return error;
}

/** The error answer to a handler that threw: its own MPL error, or E-INTERNAL without its message. */
function failureAnswer(core: Core, error: unknown, stype: string, transport: 'ws' | 'http'): ErrorAnswer {
  if (error instanceof MplError) {
    // A timeout is the peer's to hear about; a peer that went away hears nothing: neither is the server's failure.
    if (error.code !== 'E-TIMEOUT' && !peerGoneErrors.has(error)) core.reportError(error, { stype, transport });
    const details = Object.keys(error.details).length ? error.details : undefined;
    return errorAnswer(statusOf(error.code), error.code, error.message, details);
  }
  core.reportError(error, { stype, transport });
  return errorAnswer(500, INTERNAL, `The server failed to handle ${stype}`);
}

/**
 * Checks an envelope as the proxy does (readable, schema, hash) and, unless strict mode
 * blocks it, hands it to its SType's handler; resolves with the answer. Never rejects.
 */
export async function exchange(core: Core, wire: Record<string, unknown>, origin: Origin): Promise<Exchange> {
  const inspection = await inspectEnvelope(core, wire);
  const { envelope } = inspection;
  const valid = passed(inspection);
  if (envelope === undefined || (!valid && core.strict)) {
    const answer = errorAnswer(400, inspection.code, 'Validation failed', inspection.errors);
    // An envelope too broken to read may still carry its id: the error names the request it answers.
    const requestId = envelope?.id ?? (typeof wire['id'] === 'string' ? wire['id'] : undefined);
    return { answer, requestId, inspection, valid, blocked: true };
  }
  const profile = envelope.profile ?? origin.negotiatedProfile;
  const done = (answer: ReplyAnswer | ErrorAnswer): Exchange => ({ answer, requestId: envelope.id, inspection, valid, blocked: false });
  let result: unknown;
  try {
    result = await runHandler(core, envelope, {
      session: origin.session,
      transport: origin.transport,
      profile,
      validation: { valid, errors: inspection.errors },
      reply: makeReply,
    }, origin.http);
  } catch (error) {
    return done(failureAnswer(core, error, envelope.stype, origin.transport));
  }
  const reply = result instanceof Reply ? result : makeReply(envelope.stype, result === undefined ? envelope.payload : result);
  let semHash: string;
  try {
    semHash = (await loadHasher()).hash(reply.payload);
    if (core.strict) {
      // Its SType as the wire will carry it (`urn:stype:` read off), checked whether the server serves it or not:
      // a reply under an SType the registry has no schema for, or no SType at all, does not go out unchecked.
      const issues = schemaIssues(core.validator, SType.parse(reply.stype).id, reply.payload);
      assertValidReply(reply, Array.isArray(issues) ? issues : await issues);
    }
  } catch (error) {
    // The handler's reply cannot go out (no canonical form, or off its schema): the server's fault, not the peer's.
    core.reportError(error, { stype: envelope.stype, transport: origin.transport });
    return done(errorAnswer(500, INTERNAL, `The server's reply to ${envelope.stype} could not be sent`));
  }
  const report = qomReport(profile, profile === undefined ? undefined : core.profiles.get(profile), measure({ ...inspection, handled: true }));
  const withReport = core.qomReports === 'always' || (core.qomReports === 'when-asked' && profile !== undefined);
  return done({
    kind: 'reply', stype: reply.stype, payload: reply.payload, semHash, profile, report, withReport,
    validation: { valid, schema_valid: inspection.schemaValid, qom_passed: report.meets_profile },
  });
}

/** Strict mode holds the server's own replies to the schemas too: a handler's mistake never reaches the peer. */
function assertValidReply(reply: Reply, issues: ValidationIssue[]): void {
  if (issues.length) {
    throw new Error(`The reply (${reply.stype}) is not valid under its schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/**
 * The reply as an MPL envelope naming its request: by `in_reply_to` and `provenance.parent_id`,
 * and by repeating its `id`, as upstream's TypeScript SDK (which matches a reply by its `id`
 * alone) and A2A examples expect; peers that read replies in order (upstream's Python SDK)
 * get them in order. (An error answer carries no `id`: upstream's TypeScript SDK would take
 * a frame with the request's id for its reply, and the error for a success.)
 */
export function replyEnvelope(core: Core, answer: ReplyAnswer, requestId: string): MplEnvelope {
  return MplEnvelope.create(answer.stype, answer.payload, {
    id: requestId,
    inReplyTo: requestId,
    semHash: answer.semHash,
    provenance: { intent: `reply to ${requestId}`, agent: core.name, parentId: requestId },
    ...(answer.profile === undefined ? {} : { profile: answer.profile }),
    ...(answer.withReport ? { qomReport: answer.report } : {}),
  });
}

/**
 * The wire text of {@link replyEnvelope}: the same bytes as `JSON.stringify` of it (the
 * timestamp aside), written directly instead of through an `MplEnvelope` and its
 * wire object (a reply's largest cost after the payload's own text). A reply the envelope
 * would refuse (an SType `ctx.reply` named that is no SType) or write without a payload
 * (a payload with no JSON text) goes through `replyEnvelope`, as before.
 */
export function replyText(core: Core, answer: ReplyAnswer, requestId: string): string {
  // The payload as JSON.stringify writes it inside the envelope: its `toJSON` is given the key 'payload'.
  const stype = SType.tryParse(answer.stype);
  const wrapped = stype === undefined ? '{}' : JSON.stringify({ payload: answer.payload });
  if (stype === undefined || wrapped.length <= 2) return JSON.stringify(replyEnvelope(core, answer, requestId));
  // An SType's id, a semantic hash and an ISO timestamp need no escaping; the rest is escaped.
  const id = JSON.stringify(requestId);
  let text = `{"id":${id},"stype":"${stype.id}",${wrapped.slice(1, -1)}`;
  if (answer.profile !== undefined) text += `,"profile":${JSON.stringify(answer.profile)}`;
  text += `,"sem_hash":"${answer.semHash}","provenance":{"intent":${JSON.stringify(`reply to ${requestId}`)},"agent":${JSON.stringify(core.name)},"parent_id":${id}}`;
  if (answer.withReport) text += `,"qom_report":${JSON.stringify(answer.report)}`;
  return `${text},"timestamp":"${new Date().toISOString()}","in_reply_to":${id}}`;
}

/** The proxy's WebSocket frame for a handled envelope: id-less, `{type, stype, validation, payload}`. */
export function proxyFrame(answer: ReplyAnswer): Record<string, unknown> {
  return { type: 'mpl-response', stype: answer.stype, validation: answer.validation, payload: answer.payload };
}

/** Printable ASCII, not starting or ending with a space: a header value every runtime keeps as it is. */
const HEADER_SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** The X-MPL-* headers of an HTTP answer (X-MPL-Profile only when the profile can be one as it is). */
export function mplHeaders(answer: ReplyAnswer | ErrorAnswer, stype: string | undefined): Record<string, string> {
  if (answer.kind === 'error') return { 'X-MPL-QoM-Result': 'fail', ...(stype ? { 'X-MPL-SType': stype } : {}) };
  const headers: Record<string, string> = { 'X-MPL-QoM-Result': answer.report.meets_profile ? 'pass' : 'fail', 'X-MPL-SType': answer.stype, 'X-MPL-Sem-Hash': answer.semHash };
  // The profile is the peer's word: a header holds it only as printable ASCII, which every runtime writes as it is.
  if (answer.profile && HEADER_SAFE.test(answer.profile)) headers['X-MPL-Profile'] = answer.profile;
  return headers;
}
