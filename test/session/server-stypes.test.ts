// A proxy-style server says "incompatible" with an empty common_stypes and no server_stypes:
// the NegotiationError then asks GET <origin>/capabilities which STypes the server has.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/index.ts';
import { NegotiationError, Session, type UnknownStypeError } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { closeAfter, errorLog, within } from '../support/session-helpers.ts';

const SERVER_STYPES = ['org.calendar.Event.v1', 'org.agent.Heartbeat.v1'];

async function refusal(session: Session): Promise<NegotiationError> {
  try {
    const error = await session.connect().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof NegotiationError, `expected NegotiationError, got ${String(error)}`);
    return error;
  } finally {
    await session.close();
  }
}

describe('NegotiationError.serverStypes from /capabilities, and the SType a misspelt one was meant to be', () => {
  let reference: ReferenceServer;
  let plain: TestServer;
  before(async () => {
    reference = await startReferenceServer({ stypes: SERVER_STYPES, quiet: true });
    plain = await startTestServer();
  });
  after(async () => {
    await reference?.close();
    await plain?.close();
  });

  for (const transport of ['ws', 'http'] as const) {
    it(`fills serverStypes from the reference server's /capabilities when its select shares nothing (${transport})`, async () => {
      const endpoint = transport === 'ws' ? reference.wsUrl : `${reference.url}/mcp`;
      const error = await refusal(new Session({ endpoint, stypes: ['org.agent.TaskPlan.v1'] }));
      assert.equal(error.code, 'E-HANDSHAKE-FAILED');
      assert.deepEqual(error.clientStypes, ['org.agent.TaskPlan.v1']);
      assert.deepEqual([...error.serverStypes].sort(), [...SERVER_STYPES].sort());
      assert.deepEqual(error.details['serverStypes'], error.serverStypes, 'details (toJSON, logs) say the same');
      assert.equal(error.details['capabilitiesLookup'], 'ok');
    });

    it(`leaves serverStypes empty, still a NegotiationError, when the server has no /capabilities (${transport})`, async () => {
      const endpoint = transport === 'ws' ? plain.wsUrl : plain.httpUrl;
      const error = await refusal(new Session({ endpoint, stypes: ['com.acme.Nope.v1'] }));
      assert.match(error.reason, /no SType/);
      assert.deepEqual(error.serverStypes, []);
      assert.match(String(error.details['capabilitiesLookup']), /^failed: .*405/);
    });
  }

  it('keeps the server\'s own list when the refusal carries one (no lookup)', async () => {
    plain.behaviour.handshake = 'error';
    try {
      const before = plain.received.length;
      const error = await refusal(new Session({ endpoint: plain.wsUrl, stypes: ['com.acme.Nope.v1'] }));
      assert.deepEqual(error.serverStypes, plain.behaviour.stypes);
      assert.equal(error.details['capabilitiesLookup'], undefined);
      assert.equal(plain.received.slice(before).filter((r) => r.transport === 'http').length, 0);
    } finally {
      plain.behaviour.handshake = 'ai-alpn-select';
    }
  });

  // A misspelt SType: the error says what it was probably meant to be.
  for (const transport of ['ws', 'http'] as const) {
    it(`the refused handshake names the SType it is a slip away from, from /capabilities (${transport})`, async () => {
      const endpoint = transport === 'ws' ? reference.wsUrl : `${reference.url}/mcp`;
      const error = await refusal(new Session({ endpoint, stypes: ['org.calender.Event.v1', 'urn:stype:org.agent.Heartbeet.v1', 'com.acme.Nope.v1'] }));
      assert.equal(error.message, 'AI-ALPN negotiation failed: no SType offered by the client is supported by the server (did you mean "org.calendar.Event.v1" for "org.calender.Event.v1", "org.agent.Heartbeat.v1" for "org.agent.Heartbeet.v1"?)');
      assert.equal(error.reason, error.message.replace('AI-ALPN negotiation failed: ', ''));
    });
  }

  it('from the server\'s own list in its refusal, too', async () => {
    plain.behaviour.handshake = 'error';
    try {
      const error = await refusal(new Session({ endpoint: plain.wsUrl, stypes: ['org.calendar.Evnet.v1'] }));
      assert.ok(plain.behaviour.stypes.includes('org.calendar.Event.v1'));
      assert.match(error.message, /\(did you mean "org\.calendar\.Event\.v1" for "org\.calendar\.Evnet\.v1"\?\)$/);
      // Another version of an SType the server has is no slip: no hint.
      const otherVersion = await refusal(new Session({ endpoint: plain.wsUrl, stypes: ['org.calendar.Event.v2'] }));
      assert.doesNotMatch(otherVersion.message, /did you mean/);
    } finally {
      plain.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('send() of an SType that was not negotiated says whether it was offered, and the negotiated one it is a slip away from', async (t) => {
    const session = await Session.open({ endpoint: reference.wsUrl, stypes: ['org.calendar.Event.v1', 'org.agent.Heartbeat.v2'] });
    closeAfter(t, session);
    const event = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
    const notTaken = await session.send('org.agent.Heartbeat.v2', { status: 'alive' }).then(() => undefined, (e: unknown) => e as Error);
    assert.match(String(notTaken?.message), /^org\.agent\.Heartbeat\.v2 was not negotiated with ws:\/\/\S+: the server did not take it in the handshake \(common STypes: org\.calendar\.Event\.v1\)$/);
    const misspelt = await session.send('org.calender.Event.v1' as 'org.calendar.Event.v1', event).then(() => undefined, (e: unknown) => e as Error);
    assert.match(String(misspelt?.message), /^org\.calender\.Event\.v1 was not negotiated with \S+: it is not in config\.stypes; did you mean org\.calendar\.Event\.v1\? \(common STypes: org\.calendar\.Event\.v1\)$/);
    assert.equal((misspelt as UnknownStypeError).code, 'E-UNKNOWN-STYPE');
  });
});

describe('NegotiationError.serverStypes after a reconnection', () => {
  it('fills serverStypes from /capabilities when the restarted reference server shares nothing', async (t) => {
    const first = await startReferenceServer({ quiet: true });
    let restarted: ReferenceServer | undefined;
    const log = errorLog();
    const session = new Session({ endpoint: first.wsUrl, stypes: ['org.agent.TaskPlan.v1'], reconnect: { minDelayMs: 20, maxDelayMs: 40 }, onError: log.onError });
    closeAfter(t, session, first, { close: async () => restarted?.close() });
    await session.connect();
    const listening = session.listen();
    await first.close();
    restarted = await startReferenceServer({ port: first.port, stypes: SERVER_STYPES, quiet: true });
    await within(listening, 'the session to close after the refused handshake', 10_000);
    const refusal = log.errors.map((e) => e.error).find((e): e is NegotiationError => e instanceof NegotiationError);
    assert.ok(refusal, `errors: ${log.errors.map((e) => e.error.message).join(' | ')}`);
    assert.deepEqual([...refusal.serverStypes].sort(), [...SERVER_STYPES].sort());
  });
});
