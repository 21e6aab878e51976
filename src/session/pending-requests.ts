import { isWireError } from '../errors/from-wire.ts';
import { isJsonObject } from '../protocol/json.ts';

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

type Obj = Record<string, unknown>;

/** The reply markers of a frame: `in_reply_to`, `correlation_id`, `provenance.parent_id`. */
function markers(data: Obj): string[] {
  const out: string[] = [];
  for (const value of [data['in_reply_to'], data['correlation_id'], isJsonObject(data['provenance']) ? data['provenance']['parent_id'] : undefined]) {
    if (typeof value === 'string') out.push(value);
  }
  return out;
}

/** The id-less reply shapes of the reference proxy: `mpl-response`, `{"error": "E-…"}`, `passthrough`. */
export function isIdlessReply(data: unknown): boolean {
  if (!isJsonObject(data)) return false;
  return data['type'] === 'mpl-response' || data['type'] === 'passthrough' || isWireError(data);
}

/**
 * Requests on the wire, in the order they were sent, and the matching of incoming frames
 * to them: a frame that names a request (reply markers) answers it; an id-less reply
 * answers the oldest request (the proxy replies in order); anything else is not a reply.
 *
 * On an ordered link a request that times out keeps its place as an "expired" marker, so
 * that its late id-less reply is recognised instead of being taken for the next one's.
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

  /** The reply to `data`, removed from the waiting list; `undefined` if `data` is not a reply. `requestId` is the transport's own knowledge. */
  take(data: unknown, requestId?: string): MatchResult<R> | undefined {
    if (requestId !== undefined) return this.#takeId(requestId) ?? { kind: 'late', requestId };
    if (!isJsonObject(data)) return undefined;
    const named = markers(data);
    for (const id of named) {
      const match = this.#takeId(id);
      if (match) return match;
    }
    // A frame that names a request we do not know answers none of ours: never the oldest.
    if (named.length > 0 || !isIdlessReply(data)) return undefined;
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
