// PeerSession.receive resolves once its frame's answer went out (a Durable Object awaits
// it, so that the object is not evicted with a reply still to send), for a handled
// envelope and for a frame that gets no answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer, type PeerSession } from '../../src/server/index.ts';

const EVENT = 'org.calendar.Event.v1';

describe('PeerSession.receive', () => {
  it('resolves once the answer to its frame was sent, not before', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = new MplServer();
    server.on(EVENT, async (envelope) => {
      await released;
      return envelope.payload;
    });
    await server.ready();
    const sent: string[] = [];
    const session = server.accept({ send: (data) => void sent.push(String(data)), close: () => {} }, '/ws')!;
    await session.receive(JSON.stringify({ type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT] }));
    assert.equal(JSON.parse(sent[0]!).type, 'ai-alpn-select');
    const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
    const answered = session.receive(JSON.stringify({ id: 'e1', stype: EVENT, payload, sem_hash: await semanticHash(payload) }));
    const state = await Promise.race([answered.then(() => 'answered'), new Promise((resolve) => setImmediate(() => resolve('waiting')))]);
    assert.equal(state, 'waiting');
    assert.equal(sent.length, 1);
    release();
    await answered;
    assert.equal(JSON.parse(sent[1]!).in_reply_to, 'e1');
    // A peer's error frame gets no answer: receive still resolves.
    await session.receive(JSON.stringify({ error: 'E-TIMEOUT', message: 'too slow' }));
    assert.equal(sent.length, 2);
  });
});

describe('PeerSession before its handshake (limits.helloTimeoutMs)', () => {
  const LIMIT = 400;
  const fakeSocket = () => {
    const socket = { closed: undefined as number | undefined, send: () => {}, close: (code: number) => { socket.closed = code; } };
    return socket;
  };

  it('a snapshot carries when the peer was last heard from; a session rebuilt from it keeps its quiet time, so a full server makes room at once', async () => {
    const server = new MplServer({ limits: { maxSessions: 2, helloTimeoutMs: LIMIT } });
    await server.ready();
    const quietSocket = fakeSocket();
    const before = Date.now();
    const quiet = server.accept(quietSocket, '/ws')!;
    const snapshot = quiet.snapshot();
    assert.ok(snapshot.heardAt! >= before && snapshot.heardAt! <= Date.now(), 'heard at when it opened');
    quiet.closed(); // the object is evicted; the socket lives on
    // Woken later (a newcomer's request) with the socket quiet for longer than the limit, and one that talked lately.
    const restoredSocket = fakeSocket();
    const talkerSocket = fakeSocket();
    const restored = server.accept(restoredSocket, '/ws', { ...snapshot, heardAt: Date.now() - LIMIT * 3 })!;
    const talker = server.accept(talkerSocket, '/ws', { ...snapshot, heardAt: Date.now() - LIMIT / 4 })!;
    assert.equal(server.isFull, true);
    assert.equal(server.roomForOne(), true, 'the long-quiet session gives its place up');
    assert.equal(restoredSocket.closed, 1001);
    assert.equal(restored.isOpen, false);
    assert.equal(talker.isOpen, true, 'quiet for less than the limit: kept');
    assert.equal(server.roomForOne(), true);
    assert.equal(server.accept(fakeSocket(), '/ws') !== undefined, true);
    assert.equal(server.roomForOne(), false, 'full again, no one quiet long enough');
    // The talker's own timer still runs from its restored time: it closes after the rest of the limit.
    await new Promise((resolve) => setTimeout(resolve, LIMIT));
    assert.equal(talkerSocket.closed, 1001);
    for (const session of server.sessions) session.closed();
  });

  it('a frame moves the snapshot on (revision) once the last one shown is half the limit old; a handshake ends the wait', async () => {
    const server = new MplServer({ limits: { helloTimeoutMs: LIMIT } });
    await server.ready();
    const session = server.accept(fakeSocket(), '/ws')!;
    const shown = session.snapshot().heardAt!;
    const revision = session.revision;
    await session.receive('{}');
    assert.equal(session.revision, revision, 'heard again at once: the stored time is close enough');
    await new Promise((resolve) => setTimeout(resolve, LIMIT / 2 + 20));
    await session.receive('{}');
    assert.equal(session.revision, revision + 1);
    assert.ok(session.snapshot().heardAt! > shown);
    await session.receive(JSON.stringify({ type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT] }));
    assert.equal(session.snapshot().heardAt, undefined, 'handshaken: no quiet time kept');
    session.closed();
  });

  it('a socket that hibernates (a Durable Object) gets no timer: its quiet session is closed only when a newcomer needs the place', async () => {
    const server = new MplServer({ limits: { maxSessions: 2, helloTimeoutMs: LIMIT } });
    await server.ready();
    // Counts the timers each accept sets (the session's timer is unref'd: no resource list shows it).
    const timersSetBy = (accept: () => unknown): number => {
      const real = globalThis.setTimeout;
      let set = 0;
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => { set++; return real(...args); }) as typeof setTimeout;
      try {
        accept();
      } finally {
        globalThis.setTimeout = real;
      }
      return set;
    };
    const quietSocket = { ...fakeSocket(), hibernates: true };
    quietSocket.close = (code: number) => { quietSocket.closed = code; };
    const plain = fakeSocket();
    let quiet: PeerSession | undefined;
    assert.equal(timersSetBy(() => (quiet = server.accept(quietSocket, '/ws'))), 0, 'no timer for the hibernating socket');
    assert.equal(timersSetBy(() => server.accept(plain, '/ws')), 1, 'a plain socket has its timer');
    await new Promise((resolve) => setTimeout(resolve, LIMIT * 1.5));
    assert.equal(plain.closed, 1001, 'the plain one is closed by its timer');
    assert.equal(quietSocket.closed, undefined, 'the hibernating one is still open');
    assert.equal(quiet!.isOpen, true);
    assert.equal(server.accept(fakeSocket(), '/ws') !== undefined, true, 'room without closing anyone');
    assert.equal(quietSocket.closed, undefined);
    const newcomer = fakeSocket();
    assert.equal(server.accept(newcomer, '/ws') !== undefined, true, 'full: the quiet one gives its place up');
    assert.equal(quietSocket.closed, 1001);
    assert.equal(newcomer.closed, undefined);
    for (const session of server.sessions) session.closed();
  });
});

describe('MplServer.shutdown (any runtime)', () => {
  it('takes no new session, lets the answers in flight go out, then closes every session with 1001', async () => {
    const server = new MplServer({ limits: { handlerTimeoutMs: 2_000 } });
    server.on(EVENT, async (env) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return env.payload;
    });
    await server.ready();
    const sent: string[] = [];
    let closed: number | undefined;
    const session = server.accept({ send: (data) => { sent.push(String(data)); }, close: (code) => { closed = code; } }, '/ws')!;
    const payload = { title: 'in flight', start: '2024-03-01T14:00:00Z' };
    void session.receive(JSON.stringify({ id: 'req-1', stype: EVENT, payload, sem_hash: await semanticHash(payload) }));
    const started = Date.now();
    const shutting = server.shutdown();
    let lateClosed: number | undefined;
    assert.equal(server.accept({ send: () => {}, close: (code) => { lateClosed = code; } }, '/ws'), undefined, 'no new session');
    assert.equal(lateClosed, 1001);
    await shutting;
    assert.ok(Date.now() - started >= 150, 'waited for the handler');
    assert.equal(sent.length, 1);
    assert.equal(JSON.parse(sent[0]!).in_reply_to, 'req-1', 'the answer went out first');
    assert.equal(closed, 1001);
    assert.equal(server.sessions.size, 0);
  });
});
