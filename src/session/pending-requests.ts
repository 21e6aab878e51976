import { isJsonObject } from '../protocol/json.ts';
import { looksLikeEnvelope, replyMarkers } from '../protocol/peer-reply.ts';

/** A request on the wire, waiting for its reply. */
export interface WireRequest {
  readonly id: string;
}

/** Why a frame was taken as a reply. */
export type MatchResult<R> =
  | { kind: 'reply'; request: R }
  /**
   * The reply to a request that already timed out or was aborted (its place kept on an
   * ordered link, or a request the transport names that is no longer waiting): to be discarded, reported.
   */
  | { kind: 'late'; requestId: string };

const EXPIRED = Symbol('expired');
/** Most expired places kept on an ordered link; past it the oldest is dropped. */
const MAX_EXPIRED = 1024;

/**
 * Requests on the wire, in the order they were sent, and the matching of incoming frames
 * to them. The rule, for a frame that arrives while requests wait:
 * 1. a frame that names a request (`in_reply_to`, `correlation_id`, `provenance.parent_id`,
 *    on it, its `error` or the envelope it wraps), or repeats a request's own `id`,
 *    answers that request;
 * 2. a full envelope (`id`, `stype`, `payload`) that names no waiting request is a push,
 *    pending requests or not: peers push envelopes at any time, and a push must never
 *    resolve a send (the id-less proxy never answers with an unmarked full envelope);
 * 3. a frame that names, by marker, a request this session does not know answers none;
 * 4. on an ordered link every other frame (any shape: a reply, an error, a wrapper,
 *    garbage, a frame that is not even JSON) answers the oldest request: the peer replies
 *    in order, and skipping one would hand every later reply to the wrong request.
 *
 * On an ordered link a request that times out keeps its place as an "expired" marker, so
 * that its late reply is recognised instead of being taken for the next one's.
 */
export class PendingRequests<R extends WireRequest> {
  readonly #onWire = new Map<string, R | typeof EXPIRED>();
  #live = 0;
  #expired = 0;

  /** Requests waiting for a reply. */
  get size(): number {
    return this.#live;
  }

  /** Places kept for replies that will come too late. */
  get expired(): number {
    return this.#expired;
  }

  add(request: R): void {
    this.#onWire.set(request.id, request);
    this.#live++;
  }

  /**
   * The request `data` answers, removed from the waiting list; `undefined` if `data` is not
   * a reply (a push, or a frame that names another request). `requestId` is the
   * transport's own knowledge (HTTP). `data` undefined stands for a frame that could not be read.
   */
  take(data: unknown, requestId?: string): MatchResult<R> | undefined {
    if (requestId !== undefined) return this.#takeId(requestId) ?? { kind: 'late', requestId };
    // The usual reply names its request in `in_reply_to`, the first marker the rule looks at.
    const inReplyTo = isJsonObject(data) ? data['in_reply_to'] : undefined;
    if (typeof inReplyTo === 'string') {
      const match = this.#takeId(inReplyTo);
      if (match) return match;
    }
    const named = replyMarkers(data);
    const ownId = isJsonObject(data) && typeof data['id'] === 'string' ? data['id'] : undefined;
    for (const id of ownId === undefined ? named : [...named, ownId]) {
      const match = this.#takeId(id);
      if (match) return match;
    }
    if (looksLikeEnvelope(data) || named.length > 0) return undefined;
    const oldest = this.#onWire.keys().next();
    return oldest.done ? undefined : this.#takeId(oldest.value);
  }

  /** Removes a request whose caller gave up; on an ordered link its place is kept for the late reply. */
  expire(request: R, ordered: boolean): void {
    if (this.#onWire.get(request.id) !== request) return;
    this.#live--;
    if (!ordered) {
      this.#onWire.delete(request.id);
      return;
    }
    this.#onWire.set(request.id, EXPIRED);
    this.#expired++;
    if (this.#expired > MAX_EXPIRED) {
      for (const [id, entry] of this.#onWire) {
        if (entry === EXPIRED) { this.#onWire.delete(id); this.#expired--; break; }
      }
    }
  }

  /** Empties the list (the link dropped or the session closed) and returns the requests that were waiting. */
  takeAll(): R[] {
    const waiting = [...this.#onWire.values()].filter((e): e is R => e !== EXPIRED);
    this.#onWire.clear();
    this.#live = 0;
    this.#expired = 0;
    return waiting;
  }

  #takeId(id: string): MatchResult<R> | undefined {
    const entry = this.#onWire.get(id);
    if (entry === undefined) return undefined;
    this.#onWire.delete(id);
    if (entry === EXPIRED) {
      this.#expired--;
      return { kind: 'late', requestId: id };
    }
    this.#live--;
    return { kind: 'reply', request: entry };
  }
}
