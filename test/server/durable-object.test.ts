// durableObjectHandler in real workerd (miniflare): sockets accepted through the
// hibernation API outlive the object, and when workerd evicts it (after 10 s without an
// event, miniflare's default) and builds a new instance for the next frame, each session
// comes back with what it negotiated (STypes, profile) and goes on answering. The test
// waits for the eviction instead of timing it: it sends a frame after each idle spell
// until a new instance answers (the reply names the instance). A session whose snapshot is
// larger than an attachment may be (its path alone over 16 KiB) is closed on waking (1012),
// not left to answer without its state. A reply to a push made before the eviction, the
// frame that wakes the object, is still known for a reply: not handled, not answered.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Miniflare } from 'miniflare';
import { semanticHash } from '../../src/hashing/index.ts';
import { handshaken, type RawClient } from '../demo/ws-client.ts';
import { bundleWorker, workerdOptions } from '../runtimes/workerd/bundle.mjs';
import { BULK_STYPES } from './apps/hibernating-object.ts';

const EVENT = 'org.calendar.Event.v1';
const HEARTBEAT = 'org.agent.Heartbeat.v1';
/** Longer than workerd's 10 s of inactivity before it evicts an object. */
const IDLE_MS = 11_000;
const FRAME_WITHIN_MS = 20_000;

let mf: Miniflare;
let dir: string;
let origin: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mpl-do-'));
  await bundleWorker(new URL('apps/hibernating-object.ts', import.meta.url).pathname, dir);
  mf = new Miniflare({ ...(await workerdOptions(dir)), host: '127.0.0.1', port: 0, durableObjects: { OBJECT: 'HibernatingObject' } });
  origin = (await mf.ready).origin;
});
after(async () => {
  await mf?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Sends an Event; resolves with the frames up to and including the reply that names it. */
async function exchange(client: RawClient, title: string): Promise<{ id: string; pushes: any[]; reply: any }> {
  const payload = { title, start: '2024-03-01T14:00:00Z' };
  const id = crypto.randomUUID();
  client.send({ id, stype: EVENT, payload, sem_hash: await semanticHash(payload) });
  const pushes: any[] = [];
  for (;;) {
    const frame = await client.next(FRAME_WITHIN_MS);
    if (frame.in_reply_to === id) return { id, pushes, reply: frame };
    pushes.push(frame);
  }
}

describe('durableObjectHandler in workerd: hibernation and wake', () => {
  it('an evicted object\'s sessions come back with their STypes and profile and go on answering', { timeout: 110_000 }, async () => {
    const wsUrl = `${origin.replace('http', 'ws')}/ws`;
    // Two sessions that negotiated differently: one with the Heartbeat and qom-basic, one without either.
    const a = await handshaken(wsUrl, [EVENT, HEARTBEAT], ['qom-basic']);
    assert.deepEqual([a.select.common_stypes, a.select.selected_profile], [[EVENT, HEARTBEAT], 'qom-basic']);
    const b = await handshaken(wsUrl, [EVENT], []);
    assert.deepEqual([b.select.common_stypes, b.select.selected_profile], [[EVENT], null]);
    // And one that negotiated more STypes than a socket attachment holds as a list (1000 names: about 30 KB).
    const bulk = await handshaken(wsUrl, [...BULK_STYPES, EVENT, HEARTBEAT], ['qom-basic']);
    assert.equal(bulk.select.common_stypes.length, BULK_STYPES.length + 2);
    // And one whose path alone is larger than an attachment may be (16 KiB in workerd): it is
    // served, its socket holds no attachment, and waking closes it with 1012 so that it reconnects.
    const long = await handshaken(`${wsUrl}/${'p'.repeat(17_000)}`, [EVENT], []);
    assert.deepEqual(long.select.common_stypes, [EVENT]);
    assert.equal((await exchange(long.client, 'long before')).reply.payload.title, 'instance 1');
    const first = await exchange(a.client, 'before');
    assert.equal(first.reply.payload.title, 'instance 1');

    let woken: Awaited<ReturnType<typeof exchange>> | undefined;
    let lastPush = first.pushes.at(-1);
    assert.equal(lastPush?.stype, HEARTBEAT);
    for (let attempt = 0; attempt < 6 && woken === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      // A's reply to the last push wakes the object: it must still know it for a reply (kept in the
      // attachment), and neither hand it to a handler nor answer it (its answer would come before the reply below).
      const heartbeat = { status: 'alive' };
      a.client.send({ id: crypto.randomUUID(), stype: HEARTBEAT, payload: heartbeat, sem_hash: await semanticHash(heartbeat), in_reply_to: lastPush.id });
      const answer = await exchange(a.client, `after ${attempt}`);
      lastPush = answer.pushes.at(-1);
      if (answer.reply.payload.title !== 'instance 1') woken = answer;
    }
    assert.ok(woken, 'workerd never evicted the object');
    // Session A, rebuilt from its attachment: the push needs its STypes, the reply carries its profile.
    assert.deepEqual(woken.pushes.map((p) => [p.stype, p.payload, p.profile]), [[HEARTBEAT, { status: 'alive' }, 'qom-basic']]);
    assert.equal(woken.reply.profile, 'qom-basic');
    assert.equal(woken.reply.qom_report.meets_profile, true);
    assert.equal(woken.reply.sem_hash, await semanticHash(woken.reply.payload));
    // The session whose snapshot did not fit: closed on waking, to reconnect and handshake again.
    let waited: ReturnType<typeof setTimeout> | undefined;
    const longClose = await Promise.race([long.client.closed, new Promise((resolve) => { waited = setTimeout(resolve, 10_000, 'still open 10 s after the wake'); })]);
    clearTimeout(waited);
    assert.equal(longClose, 1012);
    // Session B, rebuilt too, with its own: no Heartbeat, no profile.
    const other = await exchange(b.client, 'b after');
    assert.equal(other.reply.payload.title, woken.reply.payload.title);
    assert.deepEqual(other.pushes, []);
    assert.equal(other.reply.profile, undefined);
    const large = await exchange(bulk.client, 'bulk after');
    assert.deepEqual(large.pushes.map((p) => [p.stype, p.profile]), [[HEARTBEAT, 'qom-basic']]);
    assert.equal(large.reply.profile, 'qom-basic');
    // The woken object takes new sessions and HTTP as before.
    const c = await handshaken(wsUrl, [HEARTBEAT], []);
    assert.deepEqual(c.select.common_stypes, [HEARTBEAT]);
    assert.equal((await fetch(`${origin}/health`)).status, 200);
    for (const client of [a.client, b.client, bulk.client, c.client]) client.close();
  });
});
