// X-MPL-QoM-Result (and X-MPL-QoM-Pass) over HTTP: a verdict without a metric is kept on the reply, never thrown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QOM_RESULT_KEY, QomBreachError, Session } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, errorLog } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskResult.v1'];

describe('X-MPL-QoM-Result on HTTP replies', () => {
  let server: TestServer;
  let session: Session;
  before(async () => {
    server = await startTestServer();
    session = new Session({ endpoint: server.httpUrl, stypes: STYPES, qomProfile: 'qom-strict-argcheck' });
    const caps = await session.connect();
    assert.equal(caps.selectedProfile, 'qom-strict-argcheck', 'the session has a negotiated profile');
  });
  after(async () => { await session.close(); await server.close(); });

  for (const reply of ['in-reply-to', 'id-less', 'plain-json'] as const) {
    it(`keeps "fail" without a qom_report as extra['${QOM_RESULT_KEY}'] and does not throw (${reply} reply)`, async () => {
      Object.assign(server.behaviour, { reply, replyHeaders: { 'X-MPL-QoM-Result': 'fail' }, qomReport: undefined });
      try {
        const response = await session.send('org.calendar.Event.v1', EVENT, { validate: false });
        assert.equal(response.extra?.[QOM_RESULT_KEY], 'fail');
        assert.equal(response.qomReport, undefined);
      } finally {
        Object.assign(server.behaviour, { reply: 'in-reply-to', replyHeaders: undefined });
      }
    });
  }

  it('keeps "pass" (case and spaces normalised) and leaves extra alone without the header', async () => {
    server.behaviour.replyHeaders = { 'X-MPL-QoM-Result': ' PASS ' };
    try {
      assert.equal((await session.send('org.calendar.Event.v1', EVENT)).extra?.[QOM_RESULT_KEY], 'pass');
    } finally {
      server.behaviour.replyHeaders = undefined;
    }
    assert.equal((await session.send('org.calendar.Event.v1', EVENT)).extra?.[QOM_RESULT_KEY], undefined);
  });

  it('reads X-MPL-QoM-Pass (true / false), the header upstream\'s MCP guide shows, alone or beside X-MPL-QoM-Result: any fail fails', async () => {
    for (const [headers, verdict] of [
      [{ 'X-MPL-QoM-Pass': 'false' }, 'fail'], [{ 'X-MPL-QoM-Pass': 'True' }, 'pass'],
      [{ 'X-MPL-QoM-Pass': 'false', 'X-MPL-QoM-Result': 'pass' }, 'fail'], [{ 'X-MPL-QoM-Pass': 'true', 'X-MPL-QoM-Result': 'fail' }, 'fail'],
      [{ 'X-MPL-QoM-Pass': 'maybe' }, undefined],
    ] as const) {
      server.behaviour.replyHeaders = headers;
      try {
        assert.equal((await session.send('org.calendar.Event.v1', EVENT)).extra?.[QOM_RESULT_KEY], verdict, JSON.stringify(headers));
      } finally {
        server.behaviour.replyHeaders = undefined;
      }
    }
  });

  it('ignores a value that is neither pass nor fail', async () => {
    server.behaviour.replyHeaders = { 'X-MPL-QoM-Result': 'maybe' };
    try {
      assert.equal((await session.send('org.calendar.Event.v1', EVENT)).extra?.[QOM_RESULT_KEY], undefined);
    } finally {
      server.behaviour.replyHeaders = undefined;
    }
  });

  it('a registry that cannot be made is reported once like an unknown profile, not thrown at every reply with a report', async () => {
    const log = errorLog();
    const broken = new Session({ endpoint: server.httpUrl, stypes: STYPES, qomProfile: 'qom-strict-argcheck', registryPath: 'https://[bad', autoValidate: false, onError: log.onError });
    await broken.connect();
    Object.assign(server.behaviour, { qomReport: { metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } } });
    try {
      for (let i = 0; i < 2; i++) assert.ok((await broken.send('org.calendar.Event.v1', EVENT, { validate: false })).qomReport);
      assert.equal(log.errors.length, 1);
      assert.match(log.errors[0]!.error.message, /QoM profile qom-strict-argcheck is unknown here.*httpRegistry needs an http\(s\) URL/);
    } finally {
      Object.assign(server.behaviour, { qomReport: undefined });
      await broken.close();
    }
  });

  it('still judges a qom_report in the body against the profile, header or not', async () => {
    Object.assign(server.behaviour, { replyHeaders: { 'X-MPL-QoM-Result': 'pass' }, qomReport: { metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } } });
    try {
      await assert.rejects(session.send('org.calendar.Event.v1', EVENT), QomBreachError);
    } finally {
      Object.assign(server.behaviour, { replyHeaders: undefined, qomReport: undefined });
    }
  });
});
