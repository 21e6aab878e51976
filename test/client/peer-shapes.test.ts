// What the Client makes of every error and wrapped-envelope shape other MPL peers send
// (test/fixtures/peer-shapes.json), for send() and call(), against a scripted peer that
// answers with exactly upstream's literals, each with its HTTP status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, HashMismatchError, Mode, QomBreachError, semanticHash } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { ERRORS, REFUSING, WRAPPED, WRAPPED_BAD_HASH, WRAPPED_BREACH, assertShapeError } from '../support/peer-shapes.ts';
import { EVENT } from '../support/session-helpers.ts';

const STYPE = 'org.calendar.Event.v1';

describe('Client and the shapes other peers send', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  for (const shape of [...ERRORS, ...REFUSING]) {
    it(`send(): ${shape.name} (HTTP ${shape.status ?? 200}) is a ${shape.expect.class}, thrown in production`, async () => {
      server.behaviour.script.replies.push(shape);
      const result = await new Client(server.httpUrl).send(STYPE, EVENT);
      assert.equal(result.valid, false);
      assertShapeError(result.error, shape);
      assert.equal(result.status, shape.status ?? 200);
      server.behaviour.script.replies.push(shape);
      const thrown = await new Client(server.httpUrl, { mode: Mode.Production }).send(STYPE, EVENT).then(() => undefined, (e: unknown) => e);
      assertShapeError(thrown, shape);
    });

    // A tool call's answer is JSON-RPC: the refusing replies (WebSocket frames of the proxy's) are no answer to one.
    if (REFUSING.includes(shape)) continue;
    it(`call(): ${shape.name} is a ${shape.expect.class}, naming the tool`, async () => {
      // A JSON-RPC reply names its request by its id (the literal's 7 answers another request).
      const body = shape.body as Record<string, unknown>;
      server.behaviour.script.replies.push(body['jsonrpc'] === '2.0' ? { ...shape, body: { ...body, id: '$REQUEST_ID' } } : shape);
      const result = await new Client(server.httpUrl).call('calendar.create', EVENT, { stype: STYPE });
      assert.equal(result.valid, false);
      assertShapeError(result.error, shape);
      assert.equal(result.error?.details['tool'], 'calendar.create');
    });
  }

  for (const shape of WRAPPED) {
    it(`send(): unwraps ${shape.name}`, async () => {
      server.behaviour.script.replies.push(shape);
      const result = await new Client(server.httpUrl, { mode: Mode.Production, profile: 'qom-basic' }).send(STYPE, EVENT);
      assert.deepEqual(result.data, EVENT);
      assert.equal(result.stype, STYPE);
      assert.equal(result.semHash, await semanticHash(EVENT));
      assert.equal(result.qomPassed, true);
    });
  }

  for (const shape of WRAPPED_BAD_HASH) {
    it(`send(): checks the inner hash of ${shape.name}`, async () => {
      server.behaviour.script.replies.push(shape);
      const result = await new Client(server.httpUrl).send(STYPE, EVENT);
      assert.ok(result.error instanceof HashMismatchError, String(result.error));
    });
  }

  for (const shape of WRAPPED_BREACH) {
    it(`send(): ${shape.name} is a QomBreachError under a profile, qomPassed false without one`, async () => {
      server.behaviour.script.replies.push(shape, shape);
      const held = await new Client(server.httpUrl, { profile: 'qom-basic' }).send(STYPE, EVENT);
      assert.ok(held.error instanceof QomBreachError, String(held.error));
      const free = await new Client(server.httpUrl).send(STYPE, EVENT);
      assert.equal(free.valid, true);
      assert.equal(free.qomPassed, false);
    });
  }
});
