// close() settles every connect() and send() the caller is waiting on, also those held by
// local work the session does not control: an endpoint or headers provider that hangs, a
// registry whose schema lookups never settle (the payload's checks, or the reply's). And
// the courtesy /capabilities lookup after a refused handshake is bounded, headers included.
// Real `ws` servers on ephemeral ports; `timeoutMs: Infinity` where a time limit would
// otherwise end the wait.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionError, NegotiationError, Session, type Registry } from '../../src/index.ts';
import { settle } from '../support/session-helpers.ts';

const STYPE = 'com.example.Status.v1';
const OTHER = 'com.example.Other.v1';
const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** How long a settled-or-not promise (from `settle`: the caller's handler is on it from the start) takes, failing past `ms`. */
async function settlesWithin<T>(settling: Promise<{ value?: T; error?: unknown }>, ms: number, what: string): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms); });
  try {
    return { ...(await Promise.race([settling, late])), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** A registry whose lookups of `hangs` never settle; the others give `{type: 'object'}`. */
function hangingRegistry(hangs: (stype: string) => boolean): Registry {
  return {
    source: 'a registry that hangs',
    getSchema: (stype: string) => (hangs(stype) ? never() : Promise.resolve({ type: 'object' })),
    has: (stype: string) => (hangs(stype) ? never() : Promise.resolve(true)),
    list: async () => [STYPE, OTHER],
    getProfile: async () => undefined,
  } as unknown as Registry;
}

describe('close() settles what waits on local work', () => {
  let server: WebSocketServer;
  let url = '';
  /** What the server answers to an envelope: a reply of `replyStype`, naming the request. */
  let replyStype = STYPE;
  /** What it selects: every offered SType, or none. */
  let shareNone = false;
  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`;
    server.on('connection', (socket: WebSocket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type?: string; stypes?: string[]; id?: string };
        if (message.type === 'ai-alpn-hello') {
          socket.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: shareNone ? [] : message.stypes, selected_profile: null }));
        } else {
          socket.send(JSON.stringify({ id: `r-${message.id}`, stype: replyStype, payload: { ok: true }, in_reply_to: message.id }));
        }
      });
    });
  });
  after(async () => {
    for (const socket of server.clients) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a connect() waiting for an endpoint provider that never answers (no time limit) rejects with ConnectionError at close()', async () => {
    const session = new Session({ endpoint: () => never<string>(), stypes: [STYPE], timeoutMs: Number.POSITIVE_INFINITY });
    const connecting = settle(session.connect());
    await new Promise((resolve) => setTimeout(resolve, 20));
    await session.close();
    const { error } = await settlesWithin(connecting, 1000, 'connect()');
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /Session is closed \(connect\(\)\)/);
  });

  it('a send() whose payload is still being checked (the registry hangs) rejects at close(), as not sent', async () => {
    const session = new Session({ endpoint: url, stypes: [STYPE], registry: hangingRegistry(() => true), timeoutMs: Number.POSITIVE_INFINITY });
    await session.connect();
    const sending = settle(session.send(STYPE, { n: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await session.close();
    const { error } = await settlesWithin(sending, 1000, 'send()');
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, new RegExp(`Session closed while the ${STYPE.replaceAll('.', '\\.')} payload of request \\S+ was being checked \\(it was not sent\\)`));
    assert.equal(session.stats.timers, 0);
  });

  it('a send() whose reply is still being checked (its SType\'s schema lookup hangs) rejects at close(), never resolves after it', async () => {
    replyStype = OTHER;
    try {
      const session = new Session({ endpoint: url, stypes: [STYPE, OTHER], registry: hangingRegistry((stype) => stype === OTHER), timeoutMs: Number.POSITIVE_INFINITY });
      await session.connect();
      const sending = settle(session.send(STYPE, { n: 2 }));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the reply arrived; its schema lookup hangs
      await session.close();
      const { error } = await settlesWithin(sending, 1000, 'send()');
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /Session closed while the reply to com\.example\.Status\.v1 request \S+ was being checked/);
      assert.equal(session.stats.timers, 0);
    } finally {
      replyStype = STYPE;
    }
  });

  it('a refused handshake\'s /capabilities lookup is bounded, its headers provider too: a provider that hangs neither holds connect() past the bound nor close()', async () => {
    shareNone = true;
    try {
      const hanging = new Session({ endpoint: url, stypes: [STYPE], autoValidate: false, timeoutMs: 500, headers: () => never<Record<string, string>>() });
      const refused = await settlesWithin(settle(hanging.connect()), 2000, 'connect() with a headers provider that hangs');
      assert.ok(refused.error instanceof NegotiationError, String(refused.error));
      assert.match(String(refused.error.details['capabilitiesLookup']), /^failed: no answer within 500 ms/);
      await hanging.close();

      const closing = new Session({ endpoint: url, stypes: [STYPE], autoValidate: false, timeoutMs: 60_000, headers: () => never<Record<string, string>>() });
      const connecting = settle(closing.connect());
      await new Promise((resolve) => setTimeout(resolve, 200)); // refused; the lookup waits for the headers (up to 2 s)
      await closing.close();
      const { error, ms } = await settlesWithin(connecting, 1000, 'connect() after close()');
      assert.ok(error instanceof NegotiationError || error instanceof ConnectionError, String(error));
      assert.ok(ms < 1000);
    } finally {
      shareNone = false;
    }
  });
});
