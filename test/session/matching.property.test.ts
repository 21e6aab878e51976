// Property: many concurrent sends on an id-less, in-order WebSocket, the peer answering each
// in order with a random shape (full envelopes naming the request or repeating its id,
// the proxy's id-less replies, every upstream error and wrapped-envelope literal, garbage
// JSON, text that is not JSON), with pushes and pushes naming unknown requests in between.
// Every send settles exactly once with its own reply or the MplError its answer says; no
// push resolves a send and every push is dispatched; no unhandled rejection; nothing left
// pending (session.stats).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { MplEnvelope, MplError, Session, semanticHash } from '../../src/index.ts';
import { fillScript, startTestServer, type ScriptedAnswer, type TestServer } from '../support/mpl-test-server.ts';
import { EMPTY_STATS, EVENT, errorLog, waitUntil, within } from '../support/session-helpers.ts';
import { ERRORS, REFUSING, WRAPPED, assertShapeError, type ErrorShape } from '../support/peer-shapes.ts';

const STYPE = 'org.calendar.Event.v1';
const PLAN = 'org.agent.TaskPlan.v1';

/** How the peer answers one request, and what the send must come to. */
type Answer =
  | { kind: 'echo'; frame: (req: Req) => Promise<unknown> } // resolves with the request's own payload
  | { kind: 'whole'; frame: (req: Req) => Promise<unknown> } // resolves with the frame itself as payload
  | { kind: 'error'; shape: ErrorShape }
  | { kind: 'not-json' };
interface Req { id: string; stype: string; payload: { title: string } }

const hashed = async (req: Req, extra: Record<string, unknown>): Promise<Record<string, unknown>> =>
  ({ id: crypto.randomUUID(), stype: req.stype, payload: req.payload, sem_hash: await semanticHash(req.payload), ...extra });
const scripted = (shape: ScriptedAnswer) => async (req: Req): Promise<unknown> => (await fillScript(shape, req)).body;

const ANSWERS: Answer[] = [
  { kind: 'echo', frame: (req) => hashed(req, { in_reply_to: req.id }) },
  { kind: 'echo', frame: (req) => hashed(req, { correlation_id: req.id }) },
  { kind: 'echo', frame: (req) => hashed(req, { provenance: { intent: 'reply', parent_id: req.id } }) },
  { kind: 'echo', frame: async (req) => ({ ...(await hashed(req, {})), id: req.id }) },
  { kind: 'echo', frame: async (req) => ({ type: 'mpl-response', stype: req.stype, validation: { valid: true, schema_valid: true, qom_passed: true }, payload: req.payload }) },
  ...WRAPPED.map((shape): Answer => ({ kind: 'echo', frame: scripted(shape) })),
  { kind: 'whole', frame: async () => ({ unexpected: 'shape', n: 1 }) },
  { kind: 'whole', frame: async () => [1, 'two', null] },
  { kind: 'whole', frame: async () => 42 },
  ...[...ERRORS, ...REFUSING].map((shape): Answer => ({ kind: 'error', shape })),
  { kind: 'not-json' },
];

describe('reply matching on an id-less ordered link (property)', () => {
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  before(async () => {
    server = await startTestServer({ reply: 'silent' });
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });

  it('every send settles once with its own reply or the error its answer says; pushes never resolve a send', async () => {
    const plan = fc.record({ answer: fc.integer({ min: 0, max: ANSWERS.length - 1 }), pushBefore: fc.constantFrom('none', 'push', 'push-naming-unknown') });
    await fc.assert(fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 8 }), async (steps) => {
      const log = errorLog();
      const session = await Session.open({ endpoint: server.wsUrl, stypes: [STYPE, PLAN], onError: log.onError, timeoutMs: 10_000 });
      const pushed: string[] = [];
      session.onMessage(PLAN, (env) => { pushed.push(env.getPayload<{ id: string }>().id); });
      const listening = session.listen();
      try {
        const before = server.received.length;
        const titles = steps.map((_, i) => `request ${i} ${crypto.randomUUID()}`);
        const settled = new Map<string, number>();
        const outcomes = titles.map((title) => session.send(STYPE, { ...EVENT, title }).then(
          (value): { value?: MplEnvelope; error?: unknown } => { settled.set(title, (settled.get(title) ?? 0) + 1); return { value }; },
          (error: unknown): { value?: MplEnvelope; error?: unknown } => { settled.set(title, (settled.get(title) ?? 0) + 1); return { error }; },
        ));
        await server.waitForReceived(before + steps.length);
        const requests = server.received.slice(before).map((r) => r.data as Req);
        const pushIds: string[] = [];
        for (const request of requests) {
          const step = steps[titles.indexOf(request.payload.title)]!;
          if (step.pushBefore !== 'none') {
            const id = `plan-${crypto.randomUUID()}`;
            pushIds.push(id);
            await server.push(PLAN, { id, title: 'pushed', objective: 'never a reply' }, step.pushBefore === 'push-naming-unknown' ? { in_reply_to: 'nobody' } : {});
          }
          const answer = ANSWERS[step.answer]!;
          server.sendRaw(answer.kind === 'not-json' ? 'Bad Gateway' : JSON.stringify(answer.kind === 'error' ? (await fillScript(answer.shape, request)).body : await answer.frame(request)));
        }
        const results = await within(Promise.all(outcomes), 'every send to settle');
        for (const [i, result] of results.entries()) {
          const answer = ANSWERS[steps[i]!.answer]!;
          const request = requests.find((r) => r.payload.title === titles[i])!;
          if (answer.kind === 'error') assertShapeError(result.error, answer.shape);
          else if (answer.kind === 'not-json') assert.ok(result.error instanceof MplError && result.error.code === 'E-INVALID-ENVELOPE', String(result.error));
          else {
            assert.ok(result.value instanceof MplEnvelope, `request ${i}: ${String(result.error)}`);
            const expected = answer.kind === 'echo' ? request.payload : await answer.frame(request);
            assert.deepEqual(result.value.payload, expected, `request ${i} got its own reply`);
          }
        }
        assert.ok([...settled.values()].every((n) => n === 1) && settled.size === titles.length, 'each send settled exactly once');
        await waitUntil(() => pushed.length === pushIds.length, 'every push dispatched');
        assert.deepEqual([...pushed].sort(), [...pushIds].sort(), 'pushes went to the handler, none to a send');
        assert.deepEqual(log.errors.map((e) => e.error.message), [], 'nothing reported');
        assert.deepEqual(session.stats, EMPTY_STATS, 'nothing pending, queued or timed');
      } finally {
        await session.close();
        await listening;
      }
    }), { numRuns: 40 });
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });
});
