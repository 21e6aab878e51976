import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { MplError, Session, type SessionConfig } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT } from '../support/session-helpers.ts';

// What a JavaScript caller (no compiler between it and the SDK) can pass wrong. Before
// these checks every one of them was taken as given: a string `stypes` was offered in the
// hello one character at a time, `timeoutMs: NaN` or `-1` timed out every call, and
// `timeoutMs: Infinity` made the WebSocket open time out at once (setTimeout fires an
// over-long delay after 1 ms).
const ENDPOINT = 'ws://127.0.0.1:9/ws';
const bad: [string, Partial<Record<keyof SessionConfig, unknown>>, RegExp][] = [
  ['config.stypes', { stypes: 'org.calendar.Event.v1' }, /config\.stypes must be an array of SType strings, got "org\.calendar\.Event\.v1"/],
  ['config.stypes', { stypes: ['org.calendar.Event.v1', 7] }, /config\.stypes must be an array/],
  ['config.timeoutMs', { timeoutMs: Number.NaN }, /config\.timeoutMs must be a number of milliseconds above 0 \(Infinity for no limit\), got NaN/],
  ['config.timeoutMs', { timeoutMs: -1 }, /got -1/],
  ['config.timeoutMs', { timeoutMs: 0 }, /got 0/],
  ['config.timeoutMs', { timeoutMs: '5000' }, /got "5000"/],
  ['config.qomProfile', { qomProfile: 1 }, /config\.qomProfile must be a string, got 1/],
  ['config.registryPath', { registryPath: ['schemas'] }, /config\.registryPath must be a string, got an array/],
  ['config.registry', { registry: 'https://registry.example/' }, /config\.registry must be an object, got "https:/],
  ['config.headers', { headers: 'Bearer x' }, /config\.headers must be an object or a function giving one, got "Bearer x"/],
  ['config.query', { query: 5 }, /config\.query must be an object or a function giving one, got 5/],
  ['config.autoValidate', { autoValidate: 'no' }, /config\.autoValidate must be a boolean/],
  ['config.autoHash', { autoHash: 0 }, /config\.autoHash must be a boolean/],
  ['config.onError', { onError: 'log' }, /config\.onError must be a function/],
  ['config.WebSocket', { WebSocket: {} }, /config\.WebSocket must be a function/],
  ['config.maxQueued', { maxQueued: -1 }, /config\.maxQueued must be a whole number ≥ 0 \(or Infinity\), got -1/],
  ['config.maxBuffered', { maxBuffered: 1.5 }, /config\.maxBuffered must be a whole number/],
  ['config.maxFrameBytes', { maxFrameBytes: 0 }, /config\.maxFrameBytes must be a whole number ≥ 1/],
  ['config.reconnect', { reconnect: 'off' }, /config\.reconnect must be an object or a boolean, got "off"/],
  ['config.reconnect', { reconnect: null }, /config\.reconnect must be an object or a boolean, got null/],
  ['config.reconnect.minDelayMs', { reconnect: { minDelayMs: -5 } }, /config\.reconnect\.minDelayMs must be a finite number of milliseconds ≥ 0, got -5/],
  ['config.reconnect.maxDelayMs', { reconnect: { maxDelayMs: Number.POSITIVE_INFINITY } }, /config\.reconnect\.maxDelayMs must be a finite/],
  ['config.reconnect.growFactor', { reconnect: { growFactor: 0.5 } }, /config\.reconnect\.growFactor must be a finite number ≥ 1, got 0\.5/],
  ['config.reconnect.maxRetries', { reconnect: { maxRetries: -1 } }, /config\.reconnect\.maxRetries must be a whole number ≥ 0/],
  ['config.reconnect.enabled', { reconnect: { enabled: 'yes' } }, /config\.reconnect\.enabled must be a boolean/],
  ['config.reconnect.shouldReconnect', { reconnect: { shouldReconnect: false } }, /config\.reconnect\.shouldReconnect must be a function/],
  ['config.endpoint', { endpoint: undefined }, /config\.endpoint must be a URL string or a function giving one/],
];

describe('Session config is checked when the session is made', () => {
  for (const [option, extra, message] of bad) {
    it(`${option}: ${JSON.stringify(extra, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`, () => {
      assert.throws(() => new Session({ endpoint: ENDPOINT, ...extra } as SessionConfig), (error: unknown) => {
        assert.ok(error instanceof MplError);
        assert.equal(error.code, 'E-INVALID-ARGUMENT');
        assert.match(error.message, message);
        assert.deepEqual(error.details, { option });
        return true;
      });
    });
  }

  it('onMessage() takes a handler function, or says so at once (not a TypeError per pushed message later)', async () => {
    const session = new Session({ endpoint: ENDPOINT });
    for (const handler of ['log', null, { handleEvent() {} }]) {
      assert.throws(() => session.onMessage('org.calendar.Event.v1', handler as never), {
        code: 'E-INVALID-ARGUMENT', message: /onMessage\("org\.calendar\.Event\.v1"\) needs a handler function, got (string|null|object)/,
      });
    }
    session.onMessage('org.calendar.Event.v1', () => {})();
    await session.close();
  });

  it('a misspelt endpoint is named as the option it is not, before "no endpoint"', () => {
    assert.throws(() => new Session({ url: ENDPOINT } as unknown as SessionConfig), {
      code: 'E-INVALID-ARGUMENT', message: /Session config\.url is not an option \(the options are endpoint, /,
    });
  });

  it('send() before connect() has finished says to await it; before connect() at all, to call it', async () => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'] });
    try {
      await assert.rejects(session.send('org.calendar.Event.v1', EVENT), { message: /needs a connected session: call connect\(\) first, and await it, before/ });
      const connecting = session.connect(); // not awaited: the usual slip
      await assert.rejects(session.send('org.calendar.Event.v1', EVENT), { message: /needs a connected session: connect\(\) has not finished yet: await it \(or use Session\.open\) before/ });
      await connecting;
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('no config at all', () => {
    assert.throws(() => new Session(undefined as unknown as SessionConfig), { code: 'E-INVALID-ARGUMENT', message: /Session config must be an object with at least an endpoint, got undefined/ });
  });

  it('takes the documented limits: Infinity counts and time limits, 0 for counts that allow it', async () => {
    const session = new Session({
      endpoint: () => ENDPOINT, timeoutMs: Number.POSITIVE_INFINITY, maxQueued: 0, maxBuffered: Number.POSITIVE_INFINITY, maxFrameBytes: 1,
      reconnect: { minDelayMs: 0, maxDelayMs: 0, growFactor: 1, maxRetries: 0, enabled: false },
    });
    await session.close();
  });
});

describe('timeoutMs: Infinity is no time limit', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ stypes: ['org.calendar.Event.v1'] }); });
  after(async () => { await server.close(); });

  it('the session opens over WebSocket and sends (the open was timed out after 1 ms before)', async () => {
    const session = await Session.open({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], timeoutMs: Number.POSITIVE_INFINITY });
    try {
      const reply = await session.send('org.calendar.Event.v1', EVENT);
      assert.equal(reply.stype, 'org.calendar.Event.v1');
      assert.deepEqual([session.stats.pending, session.stats.timers], [0, 0]);
    } finally {
      await session.close();
    }
  });

  it('send(), connect() and listen() check their options', async () => {
    const session = await Session.open({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'] });
    try {
      for (const timeoutMs of [Number.NaN, 0, -10, '100']) {
        await assert.rejects(session.send('org.calendar.Event.v1', EVENT, { timeoutMs: timeoutMs as number }), {
          code: 'E-INVALID-ARGUMENT', message: /send\(\) timeoutMs must be a number of milliseconds above 0/,
        });
      }
      const wrong: [object, RegExp][] = [
        [{ validate: 'no' }, /Session send\(\) validate must be a boolean, got "no"/],
        [{ computeHash: 1 }, /Session send\(\) computeHash must be a boolean, got 1/],
        [{ signal: 'stop' }, /Session send\(\) signal must be an AbortSignal, got "stop"/],
        [{ signal: {} }, /send\(\) signal must be an AbortSignal/],
        [{ timeout: 100 }, /^Session send\(\) timeout is not an option \(the options are timeoutMs, validate, computeHash, signal, provenance, argsStype, features\)$/],
        [{ features: 'x' }, /Session send\(\) features must be an array of strings, got "x"/],
      ];
      for (const [options, message] of wrong) {
        await assert.rejects(session.send('org.calendar.Event.v1', EVENT, options), { code: 'E-INVALID-ARGUMENT', message });
      }
      await assert.rejects(session.connect({ signal: 5 as unknown as AbortSignal }), { code: 'E-INVALID-ARGUMENT', message: /Session connect\(\) signal must be an AbortSignal, got 5/ });
      await assert.rejects(session.listen({ signal: 'x' as unknown as AbortSignal }), { code: 'E-INVALID-ARGUMENT', message: /Session listen\(\) signal must be an AbortSignal/ });
      assert.deepEqual([session.stats.pending, session.stats.timers], [0, 0]);
      const reply = await session.send('org.calendar.Event.v1', EVENT, { timeoutMs: Number.POSITIVE_INFINITY });
      assert.equal(reply.stype, 'org.calendar.Event.v1');
    } finally {
      await session.close();
    }
  });
});
