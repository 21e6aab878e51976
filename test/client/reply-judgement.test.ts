// How the Client judges a reply when its parts disagree or say too little: any verdict that
// fails fails, a reply naming another request is refused in every marker, a hash header it
// cannot check is refused rather than shown, a QoM verdict that is not `true` is no pass,
// and a metric spelled twice counts at its lowest. A real node:http server, scripted.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Client, Mode, semanticHash } from '../../src/index.ts';
import { json, startServer, type SeenRequest, type TestServer } from './support/http-server.ts';

const HEARTBEAT = 'org.agent.Heartbeat.v1';
const payload = { status: 'alive' as const };
type Script = (req: SeenRequest, res: ServerResponse) => void;

describe('Client: judging a reply whose parts disagree', () => {
  let server: TestServer;
  let script: Script = (_req, res) => json(res, 200, {});
  before(async () => { server = await startServer((req, res) => script(req, res)); });
  after(() => server.close());
  const send = async (next: Script, options = {}) => {
    script = next;
    return new Client(`${server.url}/mcp`, { mode: Mode.Development, ...options }).send(HEARTBEAT, payload, { validate: false });
  };
  const envelope = (req: SeenRequest, extra: Record<string, unknown> = {}) =>
    ({ id: 'r1', stype: HEARTBEAT, payload, in_reply_to: (req.body as { id: string }).id, ...extra });

  it('takes any failing verdict over a passing one: a header\'s pass does not hide the report\'s breach or the proxy\'s own', async () => {
    const breach = await send((req, res) => json(res, 200, envelope(req, { qom_report: { meets_profile: false, failures: [{ metric: 'schema_fidelity', actual: 0.4, threshold: 1 }] } }), { 'X-MPL-QoM-Result': 'pass' }));
    assert.equal(breach.qomPassed, false);
    const proxy = await send((_req, res) => json(res, 200, { type: 'mpl-response', stype: HEARTBEAT, validation: { valid: true, schema_valid: true, qom_passed: false }, payload }, { 'X-MPL-QoM-Result': 'pass' }));
    assert.equal(proxy.qomPassed, false);
    const clean = await send((req, res) => json(res, 200, envelope(req), { 'X-MPL-QoM-Result': 'pass' }));
    assert.equal(clean.valid, true);
    assert.equal(clean.qomPassed, true);
  });

  it('refuses a reply that names another request, in any marker or wrapper', async () => {
    const foreign: Record<string, unknown>[] = [
      { correlation_id: 'someone-else', in_reply_to: undefined },
      { provenance: { intent: 'reply', parent_id: 'someone-else' }, in_reply_to: undefined },
    ];
    for (const extra of foreign) {
      const result = await send((req, res) => json(res, 200, envelope(req, extra)));
      assert.equal(result.valid, false, JSON.stringify(extra));
      if (!result.valid) assert.equal(result.error.code, 'E-INVALID-ENVELOPE');
    }
    const wrapped = await send((req, res) => json(res, 200, { mpl_envelope: { stype: HEARTBEAT, payload }, in_reply_to: 'someone-else' }));
    assert.equal(wrapped.valid, false);
  });

  it('refuses an X-MPL-Sem-Hash it cannot check, rather than show it unchecked', async () => {
    const wrong = await semanticHash({ something: 'else' });
    for (const header of [`b3:${wrong.slice(3).toUpperCase()}`, wrong.slice(3)]) {
      const result = await send((_req, res) => json(res, 200, payload, { 'X-MPL-Sem-Hash': header }));
      assert.equal(result.valid, false, header);
      if (!result.valid) assert.equal(result.error.code, 'E-INVALID-ENVELOPE');
    }
  });

  it('reads what upstream\'s documentation writes: an X-MPL-QoM-Pass verdict, a hash labelled blake3: (checked as b3:)', async () => {
    const hash = await semanticHash(payload);
    for (const [headers, passed] of [
      [{ 'X-MPL-QoM-Pass': 'false' }, false], [{ 'X-MPL-QoM-Pass': 'true' }, true], [{ 'X-MPL-QoM-Pass': 'FALSE' }, false],
      [{ 'X-MPL-QoM-Pass': 'true', 'X-MPL-QoM-Result': 'fail' }, false], [{ 'X-MPL-QoM-Pass': 'false', 'X-MPL-QoM-Result': 'pass' }, false],
      [{ 'X-MPL-QoM-Pass': 'maybe' }, false], [{ 'X-MPL-QoM-Pass': 'maybe', 'X-MPL-QoM-Result': 'pass' }, false],
    ] as const) {
      const result = await send((_req, res) => json(res, 200, payload, headers));
      assert.equal(result.qomPassed, passed, JSON.stringify(headers));
    }
    // The MCP guide's X-MPL-Sem-Hash: blake3:<hex> is the same hash; a wrong one is a mismatch, not passed over.
    const labelled = await send((_req, res) => json(res, 200, payload, { 'X-MPL-Sem-Hash': `blake3:${hash.slice(3)}` }));
    assert.equal(labelled.valid, true, String(labelled.valid || labelled.error));
    assert.equal(labelled.semHash, hash);
    const wrong = await send((_req, res) => json(res, 200, payload, { 'X-MPL-Sem-Hash': `blake3:${'0'.repeat(64)}` }));
    assert.equal(wrong.valid, false);
    if (!wrong.valid) assert.equal(wrong.error.code, 'E-HASH-MISMATCH');
    // In an envelope too (concepts/envelope.md), with its features as an object of flags.
    const documented = await send((req, res) => json(res, 200, envelope(req, { sem_hash: `blake3:${hash.slice(3)}`, features: { 'mpl.streaming': true, 'mpl.batch': false } })));
    assert.equal(documented.valid, true, String(documented.valid || documented.error));
    assert.equal(documented.semHash, hash);
  });

  it('reads no pass from a verdict that is not true, nor from a metric spelled twice', async () => {
    for (const report of [{ meets_profile: 'false' }, { meets_profile: 0 }, { meets_profile: true, meetsProfile: false }, { failures: ['schema_fidelity below 1.0'] },
      { metrics: { schema_fidelity: 0.2, schemaFidelity: 1 } }, { metrics: { schemaFidelity: 1, schema_fidelity: 0.2 } }]) {
      const result = await send((req, res) => json(res, 200, envelope(req, { qom_report: report })), { profile: 'qom-basic' });
      assert.equal(result.valid, false, JSON.stringify(report));
      if (!result.valid) assert.equal(result.error.code, 'E-QOM-BREACH', JSON.stringify(report));
      assert.equal(result.qomPassed, false);
    }
  });
});
