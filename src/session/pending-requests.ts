import { isJsonObject } from '../protocol/json.ts';
import { looksLikeEnvelope, replyMarkers } from '../protocol/peer-reply.ts';

/** A request on the wire, waiting for its reply. */
export interface WireRequest {
  readonly id: string;
}

/**
 * The reply to a request that already timed out or was aborted (its place kept on an
 * ordered link, or a request the transport names that is no longer waiting): to be
 * discarded, reported.
 */
export class LateReply {
  readonly requestId: string;

  constructor(requestId: string) {
    this.requestId = requestId;
  }
}

const EXPIRED = Symbol('expired');
/** Most expired places an ordered link may hold; past it the link is out of step (see `expire`). */
export const MAX_EXPIRED = 1024;

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
 * that its late reply is recognised instead of being taken for the next one's. Once the
 * peer has named its reply to a later request, the expired places before that request are
 * let go: a peer that answers in order will not answer them now. A reply that names a
 * request given up is a late reply all the same (the last `MAX_EXPIRED` are remembered).
 */
export class PendingRequests<R extends WireRequest> {
  readonly #onWire = new Map<string, R | typeof EXPIRED>();
  /**
   * The request on the wire while it is the only entry (then `#onWire` is empty): a
   * session with one request at a time would otherwise add a string key to the map and
   * remove it again on every round trip, which costs more than the rest of the matching.
   * Rule: every method that adds or takes a request looks at `#only` first (`#spill()` moves
   * it into the map before a second request joins).
   */
  #only: R | undefined;
  #live = 0;
  #expired = 0;
  /**
   * The ids of the last `MAX_EXPIRED` requests given up, whatever the link: a reply that
   * names one later is a late reply, even after its place was let go (a peer that answers
   * out of order), never a push.
   */
  readonly #gaveUp = new Set<string>();

  /** Requests waiting for a reply. */
  get size(): number {
    return this.#live;
  }

  /** Places kept for replies that will come too late. */
  get expired(): number {
    return this.#expired;
  }

  add(request: R): void {
    this.#live++;
    if (this.#only === undefined && this.#onWire.size === 0) {
      this.#only = request;
      return;
    }
    this.#spill();
    this.#onWire.set(request.id, request);
  }

  /** Moves the only request into the map (which keeps the order they were sent in). */
  #spill(): void {
    if (this.#only === undefined) return;
    this.#onWire.set(this.#only.id, this.#only);
    this.#only = undefined;
  }

  /**
   * The request `data` answers, removed from the waiting list (a {@link LateReply} for one
   * that gave up); `undefined` if `data` is not a reply (a push, or a frame that names
   * another request). `requestId` is the transport's own knowledge (HTTP). `data`
   * undefined stands for a frame that could not be read.
   */
  take(data: unknown, requestId?: string): R | LateReply | undefined {
    if (requestId !== undefined) return this.#takeId(requestId) ?? new LateReply(requestId);
    if (!isJsonObject(data)) return this.#takeOldest();
    // The usual reply names its request in `in_reply_to`, the first marker the rule looks at.
    const inReplyTo = data['in_reply_to'];
    if (typeof inReplyTo === 'string') {
      const match = this.#takeNamed(inReplyTo);
      if (match) return match;
    }
    const named = replyMarkers(data);
    for (let i = 0; i < named.length; i++) {
      const match = named[i] === inReplyTo ? undefined : this.#takeNamed(named[i]!);
      if (match) return match;
    }
    const ownId = data['id'];
    if (typeof ownId === 'string') {
      const match = this.#takeNamed(ownId);
      if (match) return match;
    }
    if (named.length > 0 || looksLikeEnvelope(data)) return undefined;
    return this.#takeOldest();
  }

  /** `#takeId` of a request a reply names: the expired places before a live one are let go. */
  #takeNamed(id: string): R | LateReply | undefined {
    if (this.#expired !== 0 && this.#onWire.get(id) !== EXPIRED && this.#onWire.has(id)) {
      for (const [key, entry] of this.#onWire) {
        if (key === id) break;
        if (entry === EXPIRED) {
          this.#onWire.delete(key);
          this.#expired--;
        }
      }
    }
    return this.#takeId(id);
  }

  /**
   * Removes a request whose caller gave up; on an ordered link its place is kept for the
   * late reply. `true` when that makes `MAX_EXPIRED` + 1 places: the link is then out
   * of step (forgetting a place would hand a later reply to the wrong request), and is to be
   * dropped.
   */
  expire(request: R, ordered: boolean): boolean {
    this.#spill();
    if (this.#onWire.get(request.id) !== request) return false;
    this.#live--;
    const gaveUp = this.#gaveUp;
    if (gaveUp.add(request.id).size > MAX_EXPIRED) gaveUp.delete(gaveUp.values().next().value!); // the oldest is forgotten
    if (!ordered) {
      this.#onWire.delete(request.id);
      return false;
    }
    this.#onWire.set(request.id, EXPIRED);
    return ++this.#expired === MAX_EXPIRED + 1; // said once: the link is dropped, which empties the list
  }

  /** Empties the list (the link dropped or the session closed) and returns the requests that were waiting. */
  takeAll(): R[] {
    this.#spill();
    const waiting = [...this.#onWire.values()].filter((e): e is R => e !== EXPIRED);
    this.#onWire.clear();
    this.#live = 0;
    this.#expired = 0;
    return waiting;
  }

  #takeId(id: string): R | LateReply | undefined {
    const only = this.#only;
    if (only !== undefined) {
      if (only.id !== id) return this.#late(id);
      this.#only = undefined;
      this.#live--;
      return only;
    }
    const entry = this.#onWire.get(id);
    if (entry === undefined) return this.#late(id);
    this.#onWire.delete(id);
    if (entry === EXPIRED) {
      this.#expired--;
      this.#gaveUp.delete(id);
      return new LateReply(id);
    }
    this.#live--;
    return entry;
  }

  /** The late reply to a request given up, said once. */
  #late(id: string): LateReply | undefined {
    return this.#gaveUp.delete(id) ? new LateReply(id) : undefined;
  }

  #takeOldest(): R | LateReply | undefined {
    if (this.#only !== undefined) return this.#takeId(this.#only.id);
    const oldest = this.#onWire.keys().next();
    return oldest.done ? undefined : this.#takeId(oldest.value);
  }
}
