// PeerSession.receive resolves once its frame's answer went out (a Durable Object awaits
// it, so that the object is not evicted with a reply still to send), for a handled
// envelope and for a frame that gets no answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer } from '../../src/server/index.ts';

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
