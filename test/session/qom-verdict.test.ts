// A reply's QoM verdict when no profile is there to judge its metrics (PROTOCOL.md: "the
// peer's own verdict of a breach is a breach"): none negotiated (the proxy selects null for
// a profile it does not know), or one unknown here. And the verdicts that name no metric:
// the proxy's `validation.qom_passed` in an id-less `mpl-response`, and an
// `X-MPL-QoM-Result` header given twice (the proxy appends its own to its upstream's),
// kept on the reply, never thrown. Over WebSocket and HTTP, against a scripted peer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, QOM_RESULT_KEY, QomBreachError, Session, type QomReport } from '../../src/index.ts';
import { readQomReport } from '../../src/protocol/qom.ts';
import { declaresBreach } from '../../src/protocol/qom-verdict.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, errorLog, settle } from '../support/session-helpers.ts';

const STYPE = 'org.calendar.Event.v1';
const select = (profile: string | null) => ({ body: { type: 'ai-alpn-select', common_stypes: [STYPE], selected_profile: profile, extensions: {} } });
const replyWith = (qomReport: unknown) => ({
  body: { id: 'reply-1', in_reply_to: '$REQUEST_ID', stype: '$STYPE', payload: '$PAYLOAD', sem_hash: '$HASH', qom_report: qomReport },
});
const BREACH = { meets_profile: false, failures: [{ metric: 'instruction_compliance', actual: 0.5, threshold: 0.97 }] };

describe('QoM verdicts without a profile to judge by', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ stypes: [STYPE] }); });
  after(() => server.close());

  for (const kind of ['ws', 'http'] as const) {
    const endpoint = (): string => (kind === 'ws' ? server.wsUrl : server.httpUrl);

    it(`none negotiated (selected_profile null): a report declaring a breach is a QomBreachError; one that declares none passes (${kind})`, async () => {
      server.behaviour.script.hellos.push(select(null));
      const session = await Session.open({ endpoint: endpoint(), stypes: [STYPE], qomProfile: 'qom-strict-argcheck' });
      try {
        assert.equal(session.capabilities?.selectedProfile ?? null, null);
        server.behaviour.script.replies.push(replyWith(BREACH));
        const { error } = await settle(session.send(STYPE, EVENT));
        assert.ok(error instanceof QomBreachError, String(error));
        assert.equal(error.metric, 'instructionCompliance');
        assert.equal(error.actual, 0.5);
        assert.equal(error.expected, 0.97);
        assert.equal(error.details['reportedBy'], 'peer');
        assert.match(error.message, /as the reporter itself says/);
        for (const report of [{ meets_profile: true, metrics: { schema_fidelity: 1 } }, { metrics: { instruction_compliance: 0.1 } }, { meetsProfile: false }]) {
          server.behaviour.script.replies.push(replyWith(report));
          const outcome = await settle(session.send(STYPE, EVENT));
          if ('meetsProfile' in report) assert.ok(outcome.error instanceof QomBreachError, 'camelCase verdict');
          else assert.deepEqual(outcome.value?.qomReport, report, 'no verdict of a breach: passes, the report kept');
        }
      } finally { await session.close(); }
    });

    it(`one unknown here: reported once, and a report declaring a breach is still a QomBreachError naming it (${kind})`, async () => {
      server.behaviour.script.hellos.push(select('qom-acme-custom'));
      const log = errorLog();
      const session = await Session.open({ endpoint: endpoint(), stypes: [STYPE], qomProfile: 'qom-acme-custom', onError: log.onError });
      try {
        server.behaviour.script.replies.push(replyWith(BREACH), replyWith(BREACH), replyWith({ meets_profile: true }));
        for (let i = 0; i < 2; i++) {
          const { error } = await settle(session.send(STYPE, EVENT));
          assert.ok(error instanceof QomBreachError, String(error));
          assert.equal(error.profile, 'qom-acme-custom');
        }
        assert.ok((await session.send(STYPE, EVENT)).qomReport);
        assert.equal(log.errors.length, 1);
        assert.match(log.errors[0]!.error.message, /qom-acme-custom is unknown here, so replies' QoM reports are judged only by their reporter's own verdict/);
      } finally { await session.close(); }
    });
  }

  it('the proxy\'s validation.qom_passed in an id-less mpl-response is kept as the reply\'s QoM result (ws)', async () => {
    const session = await Session.open({ endpoint: server.wsUrl, stypes: [STYPE] });
    try {
      for (const passed of [false, true]) {
        server.behaviour.script.replies.push({ body: { type: 'mpl-response', stype: '$STYPE', validation: { valid: true, schema_valid: true, qom_passed: passed }, payload: '$PAYLOAD' } });
        const reply = await session.send(STYPE, EVENT);
        assert.equal(reply.extra?.[QOM_RESULT_KEY], passed ? 'pass' : 'fail');
      }
    } finally { await session.close(); }
  });

  it('an X-MPL-QoM-Result header given twice: any fail fails, all pass passes (Session over HTTP, and the Client)', async () => {
    const session = await Session.open({ endpoint: server.httpUrl, stypes: [STYPE] });
    const client = new Client(server.httpUrl);
    try {
      for (const [header, verdict] of [['pass, pass', 'pass'], ['pass, fail', 'fail'], ['PASS,Fail', 'fail'], ['pass, maybe', undefined]] as const) {
        server.behaviour.replyHeaders = { 'X-MPL-QoM-Result': header };
        assert.equal((await session.send(STYPE, EVENT, { validate: false })).extra?.[QOM_RESULT_KEY], verdict, header);
        assert.equal((await client.send(STYPE, EVENT)).qomPassed, verdict === 'pass', header);
      }
    } finally {
      server.behaviour.replyHeaders = undefined;
      await session.close();
    }
  });

  it('tells a declared breach without loading QoM evaluation, as readQomReport does, for every layout', () => {
    // Wire reports as peers send them, malformed ones included (so typed loosely).
    const reports: QomReport[] = ([
      {}, { metrics: {} }, { meets_profile: true }, { meets_profile: false }, { meetsProfile: false }, { meetsProfile: true, meets_profile: false },
      { failures: [] }, { failures: ['x'] }, { failures: [{ metric: 'groundedness', actual: 0.5, threshold: 0.8 }] }, { failures: 'many' },
      { meets_profile: 'false' }, { meets_profile: null, meetsProfile: false }, { metrics: { schema_fidelity: 0.2 } }, BREACH,
    ] as unknown[]) as QomReport[];
    for (const report of reports) assert.equal(declaresBreach(report), readQomReport(report).reportedBreach, JSON.stringify(report));
  });
});
