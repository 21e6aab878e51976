// Property: PendingRequests keeps the request that is alone on the wire out of its map (the
// one-at-a-time fast path) without changing what any frame is matched to. Random
// sequences of sends, replies naming a request (known, expired or unknown), unreadable
// frames and id-less replies (the oldest request on an ordered link), expiries and
// drops are checked against a model: the requests in the order they were sent, each
// waiting or expired (a reply naming a live request lets the expired places before it go;
// a reply naming a request given up is a late reply, its place kept or not).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LateReply, MAX_EXPIRED, PendingRequests } from '../../src/session/pending-requests.ts';

interface Req { id: string }
type Entry = { request: Req; expired: boolean };

const step = fc.oneof(
  fc.constant({ op: 'add' as const }),
  fc.record({ op: fc.constant('reply' as const), pick: fc.nat(12) }),
  fc.record({ op: fc.constant('unknown' as const) }),
  fc.record({ op: fc.constant('oldest' as const), unreadable: fc.boolean() }),
  fc.record({ op: fc.constant('expire' as const), pick: fc.nat(12), ordered: fc.boolean() }),
  fc.constant({ op: 'drop' as const }),
);

/** The model: the requests in the order sent, and the ids of those given up that no reply has named yet. */
interface Model { entries: Entry[]; gaveUp: Set<string> }

/**
 * What the model says a frame naming `id` (or, `id` undefined, an id-less frame) is matched
 * to. A reply naming a live request lets the expired places before it go.
 */
function modelTake(model: Model, id: string | undefined): Req | LateReply | undefined {
  let at = id === undefined ? 0 : model.entries.findIndex((e) => e.request.id === id);
  const entry = model.entries[at];
  // A request given up whose place is gone (let go, or never kept): its reply is late all the same.
  if (entry === undefined) return id !== undefined && model.gaveUp.delete(id) ? new LateReply(id) : undefined;
  if (entry.expired) model.gaveUp.delete(entry.request.id);
  if (id !== undefined && !entry.expired) {
    model.entries = model.entries.filter((e, i) => i >= at || !e.expired);
    at = model.entries.indexOf(entry);
  }
  model.entries.splice(at, 1);
  return entry.expired ? new LateReply(entry.request.id) : entry.request;
}

describe('PendingRequests', () => {
  it('matches every frame as the ordered list of requests says, one request at a time or many', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const pending = new PendingRequests<Req>();
      const model: Model = { entries: [], gaveUp: new Set() };
      const sent: Req[] = [];
      for (const s of steps) {
        if (s.op === 'add') {
          const request = { id: `r${sent.length}` };
          sent.push(request);
          pending.add(request);
          model.entries.push({ request, expired: false });
        } else if (s.op === 'reply' || s.op === 'unknown') {
          const id = s.op === 'unknown' ? 'never-sent' : sent[s.pick % Math.max(sent.length, 1)]?.id ?? 'never-sent';
          assert.deepEqual(pending.take({ in_reply_to: id, payload: {} }), modelTake(model, id), `reply to ${id}`);
        } else if (s.op === 'oldest') {
          assert.deepEqual(pending.take(s.unreadable ? undefined : { result: 'ok' }), modelTake(model, undefined), 'id-less frame');
        } else if (s.op === 'expire') {
          const request = sent[s.pick % Math.max(sent.length, 1)];
          if (request === undefined) continue;
          pending.expire(request, s.ordered);
          const at = model.entries.findIndex((e) => e.request === request && !e.expired);
          if (at >= 0) {
            model.gaveUp.add(request.id);
            if (s.ordered) model.entries[at]!.expired = true;
            else model.entries.splice(at, 1);
          }
        } else {
          assert.deepEqual(pending.takeAll(), model.entries.filter((e) => !e.expired).map((e) => e.request), 'takeAll');
          model.entries = [];
        }
        assert.equal(pending.size, model.entries.filter((e) => !e.expired).length, 'size');
        assert.equal(pending.expired, model.entries.filter((e) => e.expired).length, 'expired');
      }
    }), { numRuns: 500 });
  });

  it(`remembers the last ${MAX_EXPIRED} requests given up, forgetting the oldest one at a time`, () => {
    const pending = new PendingRequests<Req>();
    const requests = Array.from({ length: MAX_EXPIRED + 1 }, (_, i) => ({ id: `r${i}` }));
    for (const request of requests) {
      pending.add(request);
      pending.expire(request, false);
    }
    assert.equal(pending.take({ in_reply_to: 'r0', payload: {} }), undefined, 'the oldest is forgotten');
    for (const id of ['r1', `r${MAX_EXPIRED}`]) assert.deepEqual(pending.take({ in_reply_to: id, payload: {} }), new LateReply(id), id);
    assert.equal(pending.take({ in_reply_to: 'r1', payload: {} }), undefined, 'said once');
  });
});
