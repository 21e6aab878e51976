// What clients other than ours send to mpl-sdk/server (PROTOCOL.md, "Shapes other peers
// send"), on a real Node server: an MPL error in any upstream form is recorded and not
// answered (an id-less answer would be taken for the answer to the peer's oldest request);
// STypes spelled `urn:stype:…` in a hello are served; and an HTTP body that stops coming
// is answered 408 E-TIMEOUT instead of holding its turn forever.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer, type InboundRecord, type MplServerOptions } from '../../src/server/index.ts';
import { serveNode, type NodeServer } from '../../src/server/node.ts';
import { handshaken } from '../demo/ws-client.ts';
import { ERRORS } from '../support/peer-shapes.ts';

const EVENT = 'org.calendar.Event.v1';
const HEARTBEAT = 'org.agent.Heartbeat.v1';
const running: NodeServer[] = [];
after(() => Promise.all(running.map((r) => r.close())));

async function serve(options: MplServerOptions = {}, { recording = true } = {}) {
  const inbound: InboundRecord[] = [];
  const server = new MplServer({ ...options, ...(recording ? { onInbound: (r: InboundRecord) => inbound.push(r) } : {}) });
  const node = await serveNode(server);
  running.push(node);
  return { server, inbound, url: node.url, wsUrl: `${node.url.replace('http', 'ws')}/ws` };
}

const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
const event = async () => ({ id: crypto.randomUUID(), stype: EVENT, payload, sem_hash: await semanticHash(payload) });
/** An upstream error body with its placeholders filled. */
const filled = (body: unknown) => JSON.parse(JSON.stringify(body)
  .replaceAll('$REQUEST_ID', 'push-1').replaceAll('$STYPE', EVENT).replaceAll('"$PAYLOAD"', JSON.stringify(payload))
  .replaceAll('$BAD_HASH', `b3:${'0'.repeat(64)}`).replaceAll('$HASH', `b3:${'1'.repeat(64)}`));

describe('mpl-sdk/server: what other peers send', () => {
  it(`an MPL error frame in each of the ${ERRORS.length} upstream forms is recorded and gets no answer; the next request gets its own`, async () => {
    const { wsUrl, inbound } = await serve();
    const { client } = await handshaken(wsUrl, [EVENT]);
    for (const shape of ERRORS) client.send(filled(shape.body));
    const request = await event();
    client.send(request);
    const first = await client.next();
    assert.equal(first.in_reply_to, request.id, `the first frame back answers the request, got ${JSON.stringify(first).slice(0, 200)}`);
    const errors = inbound.filter((r) => r.kind === 'error');
    assert.equal(errors.length, ERRORS.length);
    assert.ok(errors.every((r) => !r.valid && r.errors.length === 1));
    assert.match(errors[0]!.errors[0]!, /^E-SCHEMA-FIDELITY: /);
    // Anything else that is neither hello nor envelope is still refused.
    client.send({ hello: 'world' });
    assert.equal((await client.next()).error, 'E-INVALID-ENVELOPE');
    client.close();
  });

  for (const recording of [true, false]) it(`a reply to a push (naming it by in_reply_to, correlation_id, parent_id or its own id) is ${recording ? 'recorded' : 'not checked (no onInbound)'} and not answered`, async () => {
    const { server, wsUrl, inbound } = await serve({}, { recording });
    let handled = 0;
    server.on(HEARTBEAT, () => { handled += 1; return { status: 'alive' }; });
    const { client } = await handshaken(wsUrl, [EVENT, HEARTBEAT]);
    const markers = [
      (id: string) => ({ in_reply_to: id }), (id: string) => ({ correlation_id: id }),
      (id: string) => ({ provenance: { intent: 'ack', parent_id: id } }), (id: string) => ({ id }),
    ];
    for (const mark of markers) {
      await server.broadcast(HEARTBEAT, { status: 'alive' });
      const push = await client.next();
      const pong = { status: 'alive' };
      client.send({ id: crypto.randomUUID(), stype: HEARTBEAT, payload: pong, sem_hash: await semanticHash(pong), ...mark(push.id) });
    }
    const request = await event();
    client.send(request);
    assert.equal((await client.next()).in_reply_to, request.id, 'no reply to a reply came before the answer to the request');
    assert.deepEqual(inbound.filter((r) => r.kind === 'reply').map((r) => r.valid), recording ? [true, true, true, true] : []);
    assert.equal(handled, 0);
    // An envelope naming no push is a request as ever.
    const other = { ...(await event()), in_reply_to: 'not-a-push' };
    client.send(other);
    assert.equal((await client.next()).in_reply_to, other.id);
    client.close();
  });

  it('with unknownFrames: passthrough, an error frame is answered as the proxy answers it', async () => {
    const { wsUrl } = await serve({ unknownFrames: 'passthrough' });
    const { client } = await handshaken(wsUrl, [EVENT]);
    const body = filled(ERRORS[0]!.body);
    client.send(body);
    assert.deepEqual(await client.next(), { type: 'passthrough', message: JSON.stringify(body) });
    client.close();
  });

  it('a hello offering urn:stype: spellings gets them back as common, and the session is served them', async () => {
    const { server, wsUrl } = await serve();
    const { client, select } = await handshaken(wsUrl, [`urn:stype:${EVENT}`, `urn:stype:${HEARTBEAT}`, 'urn:stype:com.nobody.Thing.v1', 'not an stype']);
    assert.deepEqual(select.common_stypes, [`urn:stype:${EVENT}`, `urn:stype:${HEARTBEAT}`]);
    const [session] = server.sessions;
    assert.deepEqual(session!.commonStypes, [EVENT, HEARTBEAT]);
    assert.equal((await server.broadcast(HEARTBEAT, { status: 'alive' })).sent, 1);
    assert.equal((await client.next()).stype, HEARTBEAT);
    client.close();
  });

  it('an HTTP body that stops coming is answered 408 E-TIMEOUT and gives its turn back', async () => {
    const { url } = await serve({ limits: { bodyTimeoutMs: 300, maxConcurrentRequests: 1, maxQueuedRequests: 1 } });
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    const answered = new Promise<void>((resolve) => socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('E-TIMEOUT')) resolve();
    }));
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":`);
    // The stalled request holds the only turn until its body times out: this one waits, then is answered.
    const next = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await event()) });
    assert.equal(next.status, 200);
    await answered;
    socket.destroy();
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /"error":"E-TIMEOUT"/);
  });
});
