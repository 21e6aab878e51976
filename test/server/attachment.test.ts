// The Durable Object adapter's socket attachment: a session's snapshot packed small
// (the common STypes as a bit set over the server's STypes) and read back; one packed
// against other STypes, or no attachment at all, is not read as a session.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromAttachment, toAttachment } from '../../src/server/adapters/attachment.ts';
import type { SessionSnapshot } from '../../src/server/peer-session.ts';

const stypes = Array.from({ length: 1000 }, (_, i) => `com.example.bulk.Thing${String(i).padStart(4, '0')}.v1`);

describe('the Durable Object attachment', () => {
  it('packs a snapshot of 1000 common STypes in a few hundred bytes and reads it back as it was', () => {
    for (const common of [[], stypes, stypes.filter((_, i) => i % 7 === 3), [stypes[0]!, stypes[999]!]]) {
      const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: common, profile: 'qom-basic', hellos: 2, pushed: [] };
      const packed = toAttachment(snapshot, stypes);
      assert.ok(JSON.stringify(packed).length < 400);
      assert.deepEqual(fromAttachment(structuredClone(packed), stypes), snapshot);
    }
  });

  it('keeps the ids of the latest pushes (32 ids: about 1.2 KB more), leaves them out when asked, and reads back only ids', () => {
    const pushed = Array.from({ length: 32 }, () => crypto.randomUUID());
    const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: [stypes[3]!], profile: null, hellos: 1, pushed };
    const packed = toAttachment(snapshot, stypes);
    assert.ok(JSON.stringify(packed).length < 1_700);
    assert.deepEqual(fromAttachment(structuredClone(packed), stypes), snapshot);
    assert.equal('pushed' in toAttachment(snapshot, stypes, false), false);
    assert.deepEqual(fromAttachment(toAttachment(snapshot, stypes, false), stypes)?.pushed, []);
    // Whatever else an attachment holds there, only ids come back.
    const odd = { ...packed, pushed: ['a', 7, null, 'x'.repeat(300), 'b'] };
    assert.deepEqual(fromAttachment(odd, stypes)?.pushed, ['a', 'b']);
    assert.deepEqual(fromAttachment({ ...packed, pushed: 'a' }, stypes)?.pushed, []);
  });

  it('an attachment packed against other STypes (fewer, or as many with one swapped), or none, is not a session', () => {
    const packed = toAttachment({ path: '/ws', handshaken: true, commonStypes: [stypes[1]!], profile: null, hellos: 1 }, stypes);
    assert.equal(fromAttachment(packed, stypes.slice(1)), undefined);
    // As many STypes, one swapped for another (a v1 replaced by its v2): not read onto the wrong ones.
    const swapped = stypes.map((s, i) => (i === 500 ? s.replace('.v1', '.v2') : s));
    assert.equal(fromAttachment(structuredClone(packed), swapped), undefined);
    assert.deepEqual(fromAttachment(structuredClone(packed), [...stypes])?.commonStypes, [stypes[1]]);
    for (const value of [null, undefined, 'x', { path: '/ws' }, { path: '/ws', handshaken: true, commonStypes: [], profile: null, hellos: 1 }]) {
      assert.equal(fromAttachment(value, stypes), undefined);
    }
  });
});

describe('durableObjectHandler waking', () => {
  it('gives the sockets their sessions back without writing their attachments again, and does not close a socket twice', async () => {
    const { MplServer, durableObjectHandler } = await import('../../src/server/index.ts');
    const server = new MplServer({ mode: 'strict' });
    await server.ready();
    const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: ['org.calendar.Event.v1'], profile: null, hellos: 1, pushed: [] };
    const socket = (attachment: unknown) => {
      const ws = {
        readyState: 1, writes: 0, closes: [] as number[],
        send() {}, close(code: number) { ws.closes.push(code); ws.readyState = 2; },
        serializeAttachment() { ws.writes += 1; }, deserializeAttachment: () => attachment,
      };
      return ws;
    };
    const restorable = socket(toAttachment(snapshot, server.stypes));
    const lost = socket(null);
    const handler = durableObjectHandler(server, { acceptWebSocket() {}, getWebSockets: () => [restorable, lost] as unknown as WebSocket[] });
    // The lost one's own message wakes the object: closed once, with 1012 (its state is gone).
    await handler.webSocketMessage(lost as unknown as WebSocket, '{}');
    assert.deepEqual(lost.closes, [1012]);
    assert.equal(restorable.writes, 0, 'the restored session is what its attachment already says');
    assert.deepEqual(restorable.closes, []);
  });

  it('after a wake, a reply to a push made before it is still a reply (not handled, not answered); a push is kept in the attachment', async () => {
    const { MplServer, durableObjectHandler } = await import('../../src/server/index.ts');
    const { semanticHash } = await import('../../src/hashing/index.ts');
    const inbound: Array<{ kind: string }> = [];
    let handled = 0;
    const server = new MplServer({ mode: 'strict', onInbound: (record) => inbound.push(record) });
    server.on('*', (envelope) => { handled += 1; return envelope.payload; });
    await server.ready();
    const HEARTBEAT = 'org.agent.Heartbeat.v1';
    const pushedBefore = crypto.randomUUID();
    const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: [HEARTBEAT], profile: null, hellos: 1, pushed: [pushedBefore] };
    const sent: string[] = [];
    let attachment: unknown = toAttachment(snapshot, server.stypes);
    const ws = {
      readyState: 1,
      send(frame: string) { sent.push(frame); }, close() {},
      serializeAttachment(value: unknown) { attachment = structuredClone(value); }, deserializeAttachment: () => attachment,
    } as unknown as WebSocket;
    const handler = durableObjectHandler(server, { acceptWebSocket() {}, getWebSockets: () => [ws] });
    const payload = { status: 'alive' };
    const reply = { id: crypto.randomUUID(), stype: HEARTBEAT, payload, sem_hash: await semanticHash(payload), in_reply_to: pushedBefore };
    await handler.webSocketMessage(ws, JSON.stringify(reply));
    assert.equal(handled, 0, 'a reply is not a request');
    assert.deepEqual(sent, [], 'nor answered');
    assert.deepEqual(inbound.map((r) => r.kind), ['reply']);
    // A push from the woken object: sent, and its id kept for the next wake.
    const { sent: reached } = await server.broadcast(HEARTBEAT, { status: 'busy' });
    assert.equal(reached, 1);
    const pushedNow = JSON.parse(sent[0]!).id as string;
    assert.deepEqual(fromAttachment(attachment, server.stypes)?.pushed, [pushedBefore, pushedNow]);
  });

  it('rebuilds the sessions when a close, an error or the object\'s own wake() is what woke it, so a broadcast reaches every socket', async () => {
    const { MplServer, durableObjectHandler } = await import('../../src/server/index.ts');
    const HEARTBEAT = 'org.agent.Heartbeat.v1';
    const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: [HEARTBEAT], profile: null, hellos: 1, pushed: [] };
    const socket = (server: { stypes: readonly string[] }) => {
      const ws = {
        readyState: 1, sent: [] as string[],
        send(frame: string) { ws.sent.push(frame); }, close() { ws.readyState = 3; },
        serializeAttachment() {}, deserializeAttachment: () => toAttachment(snapshot, server.stypes),
      };
      return ws;
    };
    for (const wakeBy of ['webSocketClose', 'webSocketError', 'wake'] as const) {
      const server = new MplServer({ mode: 'strict' });
      server.on(HEARTBEAT, (envelope) => envelope.payload);
      await server.ready();
      const sockets = [socket(server), socket(server), socket(server)];
      const handler = durableObjectHandler(server, { acceptWebSocket() {}, getWebSockets: () => sockets as unknown as WebSocket[] });
      if (wakeBy === 'wake') await handler.wake();
      else await handler[wakeBy](sockets[0] as unknown as WebSocket);
      const { sent } = await server.broadcast(HEARTBEAT, { status: 'alive' });
      const reached = wakeBy === 'wake' ? 3 : 2; // the socket that closed or failed has no session left
      assert.equal(sent, reached, wakeBy);
      assert.equal(sockets.filter((ws) => ws.sent.length === 1).length, reached, wakeBy);
      server.close();
    }
  });

  it('an attachment too large with its push ids is stored without them, the session kept', async () => {
    const { MplServer, durableObjectHandler } = await import('../../src/server/index.ts');
    const server = new MplServer({ mode: 'strict' });
    await server.ready();
    const HEARTBEAT = 'org.agent.Heartbeat.v1';
    const snapshot: SessionSnapshot = { path: '/ws', handshaken: true, commonStypes: [HEARTBEAT], profile: null, hellos: 1, pushed: [] };
    let attachment: unknown = toAttachment(snapshot, server.stypes);
    const ws = {
      readyState: 1, send() {}, close() {},
      // As workerd refuses one over its limit: here, any with push ids.
      serializeAttachment(value: unknown) {
        if ((value as { pushed?: unknown } | null)?.pushed !== undefined) throw new Error('attachment too large');
        attachment = structuredClone(value);
      },
      deserializeAttachment: () => attachment,
    } as unknown as WebSocket;
    durableObjectHandler(server, { acceptWebSocket() {}, getWebSockets: () => [ws] });
    await server.broadcast(HEARTBEAT, { status: 'busy' }); // no session yet: the object has not woken
    const handler = durableObjectHandler(server, { acceptWebSocket() {}, getWebSockets: () => [ws] });
    await handler.webSocketMessage(ws, '{"not":"an envelope"}'); // wakes it
    const { sent } = await server.broadcast(HEARTBEAT, { status: 'alive' });
    assert.equal(sent, 1);
    assert.deepEqual(fromAttachment(attachment, server.stypes), { ...snapshot, pushed: [] });
  });
});
