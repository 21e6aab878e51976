// The server's reply text (replyText) is written directly rather than by JSON.stringify of an
// MplEnvelope: it must be the same bytes as that envelope's text, whatever the payload, the
// request's id (which the reply repeats as its own), the profile, the report and the
// server's name hold (only the timestamp differs), and a reply the envelope refuses must be
// refused the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCore, type Core } from '../../src/server/core.ts';
import { resolveLimits } from '../../src/server/options.ts';
import { replyEnvelope, replyText, type ReplyAnswer } from '../../src/server/exchange.ts';

const HASH = `b3:${'0123456789abcdef'.repeat(4)}`;
const cores = new Map<string, Promise<Core>>();
const coreNamed = (name: string | undefined) => {
  const key = String(name);
  if (!cores.has(key)) cores.set(key, loadCore(name === undefined ? {} : { name }, new Map(), resolveLimits()));
  return cores.get(key)!;
};

/** The text with its timestamp replaced, after checking it is where and as the envelope writes it, and that the reply's id is its request's. */
function withoutFreshFields(text: string): string {
  const reply = JSON.parse(text);
  assert.equal(reply.id, reply.in_reply_to, `the reply repeats its request's id: ${text.slice(0, 80)}`);
  assert.ok(text.startsWith(`{"id":${JSON.stringify(reply.in_reply_to)},`), `the id first: ${text.slice(0, 80)}`);
  const stamps = [...text.matchAll(/,"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)","in_reply_to":/g)];
  assert.equal(stamps.length >= 1, true, `a timestamp before in_reply_to: ${text}`);
  const last = stamps.at(-1)!;
  return `${text.slice(0, last.index)},"timestamp":"T","in_reply_to":${text.slice(last.index! + last[0].length)}`;
}

class Money {
  constructor(readonly cents: number) {}
  toJSON(key: string) { return { amount: this.cents / 100, key }; }
}

const payloads: unknown[] = [
  { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] },
  { quote: 'say "hi"', backslash: 'a\\b', control: 'tab\there\nline\u0001\u001f', separators: '\u2028\u2029', emoji: 'ok 👍', cjk: '会議', lone: '\ud800x' },
  { n: [0, -0, 1.5, -2.25, 1e21, 1e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER], b: [true, false], nul: null, undef: undefined, nested: { deeper: { list: [[], {}, [null]] } } },
  { when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), price: new Money(1999), fn: () => 1, sym: Symbol('x') },
  new Money(250), // toJSON given the key it has in the envelope
  [1, 'two', { three: 3 }, undefined],
  'a bare string',
  42,
  false,
  null,
  { [Symbol('hidden')]: 1, visible: 1, '': 'empty key', '1': 'index-like key', __proto__x: 2 },
];
// (Never empty: an envelope with an empty id is refused before anything answers it.)
const requestIds = ['req-1', '3b241101-e2bb-4255-8caf-4136c566a962', 'quote " and \\ backslash', 'ünïcødé 👍', '\u2028'];
const reports = [
  { profile: 'qom-basic', meets_profile: true, metrics: { schema_fidelity: 1, instruction_compliance: 1 } },
  { meets_profile: false, metrics: { schema_fidelity: 0, groundedness: 0.25 } },
];

function answer(fields: Partial<ReplyAnswer>): ReplyAnswer {
  return {
    kind: 'reply', stype: 'org.calendar.Event.v1', payload: payloads[0], semHash: HASH, profile: 'qom-basic',
    report: reports[0] as ReplyAnswer['report'], withReport: true, validation: { valid: true, schema_valid: true, qom_passed: true },
    ...fields,
  };
}

describe('the server\'s reply text', () => {
  it('is JSON.stringify of the reply envelope, byte for byte, for every payload, request id, profile, report and server name', async () => {
    let compared = 0;
    for (const name of [undefined, 'agent "x"', 'ünï 👍']) {
      const core = await coreNamed(name);
      for (const payload of payloads) {
        for (const requestId of requestIds) {
          for (const profile of [undefined, 'qom-basic', 'custom "profile"']) {
            for (const [r, report] of reports.entries()) {
              for (const withReport of [true, false]) {
                const a = answer({ payload, profile, report: report as ReplyAnswer['report'], withReport });
                const ours = replyText(core, a, requestId);
                const theirs = JSON.stringify(replyEnvelope(core, a, requestId));
                assert.equal(withoutFreshFields(ours), withoutFreshFields(theirs), `payload ${JSON.stringify(payload)}, id ${JSON.stringify(requestId)}, profile ${profile}, report ${r}, withReport ${withReport}`);
                JSON.parse(ours);
                compared++;
              }
            }
          }
        }
      }
    }
    assert.ok(compared >= 1980, `compared ${compared}`);
  });

  it('writes the SType as the envelope does (urn:stype: dropped), with the request\'s id and the time now', async () => {
    const core = await coreNamed(undefined);
    const before = Date.now();
    const a = answer({ stype: 'urn:stype:org.agent.TaskResult.v1' });
    const [x, y] = [JSON.parse(replyText(core, a, 'r')), JSON.parse(replyText(core, a, 'r'))];
    assert.equal(x.stype, 'org.agent.TaskResult.v1');
    assert.equal(withoutFreshFields(replyText(core, a, 'r')), withoutFreshFields(JSON.stringify(replyEnvelope(core, a, 'r'))));
    assert.equal(x.id, 'r');
    assert.equal(y.id, 'r');
    assert.ok(Date.parse(x.timestamp) >= before - 1 && Date.parse(x.timestamp) <= Date.now());
  });

  it('refuses what the envelope refuses, with the same error: an SType that is none; a payload with no JSON text is written as the envelope writes it', async () => {
    const core = await coreNamed(undefined);
    const bad = answer({ stype: 'not an stype' });
    let theirs: (Error & { code?: string }) | undefined;
    try {
      replyEnvelope(core, bad, 'r');
    } catch (error) {
      theirs = error as Error & { code?: string };
    }
    assert.ok(theirs instanceof Error);
    assert.throws(() => replyText(core, bad, 'r'), (error: Error & { code?: string }) => error.code === theirs!.code && error.message === theirs!.message);
    const noText = answer({ payload: () => 1 });
    assert.equal(withoutFreshFields(replyText(core, noText, 'r')), withoutFreshFields(JSON.stringify(replyEnvelope(core, noText, 'r'))));
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    assert.throws(() => replyText(core, answer({ payload: cycle }), 'r'), TypeError);
  });
});
