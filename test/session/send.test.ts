import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError, MplEnvelope, MplError, SchemaFidelityError, Session, TimeoutError, UnknownStypeError, httpRegistry, type SessionConfig } from '../../src/index.ts';
import { startRegistryServer, type RegistryServer } from '../registry/support/registry-server.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, errorLog } from '../support/session-helpers.ts';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/hash-vectors.json', import.meta.url), 'utf8')) as Array<{ input: string; hash: string }>;
const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'com.example.NoSchema.v1'];

describe('send', () => {
  let server: TestServer;
  let ws: Session;
  let http: Session;
  before(async () => {
    server = await startTestServer({ stypes: [...STYPES], requiredProfile: 'qom-basic' });
    ws = new Session({ endpoint: server.wsUrl, stypes: STYPES });
    http = new Session({ endpoint: server.httpUrl, stypes: STYPES });
    await ws.connect();
    await http.connect();
  });
  after(async () => { await ws.close(); await http.close(); await server.close(); });

  const last = (): Record<string, unknown> => server.received.at(-1)?.data as Record<string, unknown>;

  for (const kind of ['ws', 'http'] as const) {
    const session = (): Session => (kind === 'ws' ? ws : http);

    it(`builds the envelope: uuid id, negotiated profile, RFC 3339 timestamp, reference sem_hash (${kind})`, async () => {
      for (const vector of vectors.filter((v) => v.input.includes('start'))) {
        const payload = JSON.parse(vector.input) as unknown;
        const reply = await session().send<string>('org.calendar.Event.v1', payload); // vectors: any JSON
        const wire = last();
        assert.match(String(wire['id']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(wire['profile'], 'qom-basic');
        assert.equal(wire['stype'], 'org.calendar.Event.v1');
        assert.ok(!Number.isNaN(Date.parse(String(wire['timestamp']))));
        assert.equal(wire['sem_hash'], vector.hash, 'the hash the reference computes');
        assert.deepEqual(wire['payload'], payload);
        assert.equal(reply.inReplyTo, wire['id']);
      }
    });

    it(`refuses an SType that was not negotiated, before sending anything (${kind})`, async () => {
      const before = server.received.length;
      await assert.rejects(session().send('org.agent.Heartbeat.v1', { status: 'alive' }), (e: unknown) => e instanceof UnknownStypeError && e.stype === 'org.agent.Heartbeat.v1' && /not negotiated/.test(e.message));
      assert.equal(server.received.length, before);
    });

    it(`throws SchemaFidelityError with every path before sending (${kind})`, async () => {
      const before = server.received.length;
      const error = await session().send('org.calendar.Event.v1', { title: '', start: 'yesterday', attendees: ['bob'] }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof SchemaFidelityError, String(error));
      const paths = error.validationErrors.map((v) => v.path);
      assert.ok(paths.includes('/start'), paths.join());
      assert.ok(paths.includes('/title'), paths.join());
      assert.equal(server.received.length, before);
    });

    it(`sends an invalid payload when validate: false, and no hash when computeHash: false (${kind})`, async () => {
      await session().send('org.calendar.Event.v1', { title: 'x', start: 'yesterday' }, { validate: false, computeHash: false });
      assert.equal((last()['payload'] as { start: string }).start, 'yesterday');
      assert.equal(last()['sem_hash'], undefined);
    });

    it(`writes the exact bytes MplEnvelope's own serialization gives, for every option combination (${kind})`, async () => {
      const provenance = { intent: 'schedule', agent: 'planner' };
      for (let mask = 0; mask < 16; mask++) {
        const options = {
          computeHash: (mask & 1) !== 0,
          ...(mask & 2 ? { provenance } : {}),
          ...(mask & 4 ? { argsStype: 'org.agent.TaskPlan.v1' } : {}),
          ...(mask & 8 ? { features: ['batch'] } : {}),
        };
        await session().send('org.calendar.Event.v1', EVENT, options);
        const wire = last();
        assert.equal(JSON.stringify(wire), JSON.stringify(MplEnvelope.fromWire(wire)), `options ${JSON.stringify(options)}`);
        assert.equal(wire['sem_hash'] !== undefined, options.computeHash);
        assert.equal(wire['profile'], 'qom-basic');
      }
    });

    it(`carries provenance, argsStype and features when given (${kind})`, async () => {
      await session().send('org.calendar.Event.v1', EVENT, { provenance: { intent: 'schedule', agent: 'planner' }, features: ['batch'], argsStype: 'org.agent.TaskPlan.v1' });
      assert.deepEqual(last()['provenance'], { intent: 'schedule', agent: 'planner' });
      assert.deepEqual(last()['features'], ['batch']);
      assert.equal(last()['args_stype'], 'org.agent.TaskPlan.v1');
    });

    it(`refuses an SType without schema while validation is on (by default or per call), naming it and where the registry looked, before sending (${kind})`, async () => {
      const before = server.received.length;
      const noSchema = (e: unknown) => e instanceof UnknownStypeError && e.code === 'E-UNKNOWN-STYPE' && e.stype === 'com.example.NoSchema.v1'
        && e.where === 'the embedded registry' && e.message.includes('com.example.NoSchema.v1') && e.message.includes('the embedded registry');
      await assert.rejects(session().send('com.example.NoSchema.v1', { anything: 1 }), noSchema);
      await assert.rejects(session().send('com.example.NoSchema.v1', { anything: 1 }, { validate: true }), noSchema);
      assert.equal(server.received.length, before, 'nothing was sent');
      const reply = await session().send('com.example.NoSchema.v1', { anything: 1 }, { validate: false });
      assert.deepEqual(reply.getPayload(), { anything: 1 });
    });

    it(`sends an SType without schema when validation is off in the config (${kind})`, async () => {
      const unchecked = new Session({ endpoint: kind === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES, autoValidate: false });
      await unchecked.connect();
      try {
        const reply = await unchecked.send('com.example.NoSchema.v1', { anything: 2 });
        assert.deepEqual(reply.getPayload(), { anything: 2 });
        await assert.rejects(unchecked.send('com.example.NoSchema.v1', { anything: 2 }, { validate: true }), UnknownStypeError);
      } finally { await unchecked.close(); }
    });

    it(`leaves a reply of an SType without schema unchecked while validation is on (${kind})`, async () => {
      server.behaviour.replyStype = 'com.example.NoSchema.v1';
      server.behaviour.replyPayload = () => ({ whatever: ['no', 'schema'] });
      try {
        const reply = await session().send('org.calendar.Event.v1', EVENT);
        assert.equal(reply.stype, 'com.example.NoSchema.v1');
        assert.deepEqual(reply.getPayload(), { whatever: ['no', 'schema'] });
      } finally {
        server.behaviour.replyStype = undefined;
        server.behaviour.replyPayload = undefined;
      }
    });

    it(`rejects with TimeoutError after timeoutMs and keeps no pending entry (${kind})`, async () => {
      server.behaviour.reply = 'silent';
      try {
        const started = Date.now();
        const error = await session().send('org.calendar.Event.v1', EVENT, { timeoutMs: 150 }).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.timeoutMs, 150);
        assert.ok(Date.now() - started < 1500);
        assert.equal(session().stats.pending, 0);
        assert.equal(session().stats.timers, 0);
      } finally {
        server.behaviour.reply = 'in-reply-to';
      }
    });

    it(`rejects with the signal's reason when aborted, removing the request (${kind})`, async () => {
      server.behaviour.reply = 'silent';
      try {
        const controller = new AbortController();
        const pending = session().send('org.calendar.Event.v1', EVENT, { signal: controller.signal });
        setTimeout(() => controller.abort(new Error('not needed any more')), 30);
        await assert.rejects(pending, /not needed any more/);
        assert.equal(session().stats.pending, 0);
        assert.equal(session().stats.timers, 0);
        const already = AbortSignal.abort(new Error('before'));
        await assert.rejects(session().send('org.calendar.Event.v1', EVENT, { signal: already }), /before/);
      } finally {
        server.behaviour.reply = 'in-reply-to';
      }
    });
    it(`one signal given to many sends at once: Node sees one listener, and aborting it rejects them all (${kind})`, async () => {
      server.behaviour.reply = 'silent';
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const controller = new AbortController();
        const answered = Array.from({ length: 20 }, (_, i) => session().send('org.calendar.Event.v1', { ...EVENT, title: `send ${i}` }, { signal: controller.signal }));
        assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
        controller.abort(new Error('stop them all'));
        const outcomes = await Promise.allSettled(answered);
        assert.deepEqual(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message), answered.map(() => 'stop them all'));
        assert.equal(session().stats.pending, 0);
        assert.equal(session().stats.timers, 0);
        // Sends that end on their own let go of the signal: none of this SDK's listeners is left on it.
        server.behaviour.reply = 'in-reply-to';
        const kept = new AbortController();
        await Promise.all(Array.from({ length: 12 }, () => session().send('org.calendar.Event.v1', EVENT, { signal: kept.signal })));
        assert.equal(getEventListeners(kept.signal, 'abort').length, 0);
        await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
        assert.deepEqual(warnings.map((w) => w.message), []);
      } finally {
        process.off('warning', onWarning);
        server.behaviour.reply = 'in-reply-to';
      }
    });
  }

  it('rejects a payload JSON cannot carry with an MplError when validation and hashing are off', async () => {
    await assert.rejects(ws.send('com.example.NoSchema.v1', { n: 10n }, { validate: false, computeHash: false }), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT');
  });

  it('rejects send() before connect() and after close() with ConnectionError', async () => {
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
    await assert.rejects(session.send('org.calendar.Event.v1', EVENT), (e: unknown) => e instanceof ConnectionError && /connect\(\) first/.test(e.message));
    await session.connect();
    await session.close();
    await assert.rejects(session.send('org.calendar.Event.v1', EVENT), (e: unknown) => e instanceof ConnectionError && /closed/.test(e.message));
  });

  it('matches a late id-less reply to its timed-out request, not to the next one', async () => {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError });
    await session.connect();
    // Once schema and hasher are loaded a send goes on the wire at once, before its time limit can run out.
    await session.send('org.calendar.Event.v1', { ...EVENT, title: 'warm-up' });
    server.behaviour.reply = 'id-less';
    // The server holds its replies until the first send has timed out: its reply is then
    // late whatever the machine's speed, and comes before the second's (the link is ordered).
    let release!: () => void;
    server.behaviour.replyGate = new Promise<void>((resolve) => { release = resolve; });
    try {
      const first = session.send('org.calendar.Event.v1', { ...EVENT, title: 'first' }, { timeoutMs: 100 });
      await assert.rejects(first, TimeoutError);
      assert.equal(session.stats.expired, 1);
      const second = session.send('org.calendar.Event.v1', { ...EVENT, title: 'second' });
      server.behaviour.replyGate = undefined;
      release();
      assert.equal((await second).getPayload<{ title: string }>().title, 'second');
      assert.deepEqual(log.errors.map((e) => e.source), ['late-reply']);
      assert.equal(session.stats.expired, 0);
    } finally {
      release();
      server.behaviour.reply = 'in-reply-to';
      server.behaviour.replyGate = undefined;
      await session.close();
    }
  });
});

describe('send: an SType without schema names where the registry looked', () => {
  let server: TestServer;
  let registry: RegistryServer;
  let emptyDir: string;
  before(async () => {
    server = await startTestServer({ stypes: [...STYPES] });
    registry = await startRegistryServer();
    emptyDir = await mkdtemp(join(tmpdir(), 'mpl-empty-registry-'));
  });
  after(async () => { await server.close(); await registry.close(); await rm(emptyDir, { recursive: true, force: true }); });

  const refusal = async (config: Partial<SessionConfig>, stype: string): Promise<UnknownStypeError> => {
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, ...config });
    await session.connect();
    try {
      const error = await session.send(stype, { title: 'x', start: '2024-01-15T10:00:00Z' }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof UnknownStypeError, String(error));
      assert.equal(error.stype, stype);
      assert.ok(error.message.includes(stype) && error.message.includes(String(error.where)), error.message);
      return error;
    } finally { await session.close(); }
  };

  it('a registryPath with no schema for it: the file it tried (a wrong registryPath fails loudly)', async () => {
    const error = await refusal({ registryPath: emptyDir }, 'org.calendar.Event.v1');
    assert.ok(String(error.where).startsWith(emptyDir), String(error.where));
    assert.match(String(error.where), /schema\.json$/);
  });

  it('an HTTP registry: the URLs it tried', async () => {
    const error = await refusal({ registry: httpRegistry(registry.url) }, 'com.example.NoSchema.v1');
    assert.ok(String(error.where).includes(registry.url), String(error.where));
  });
});
