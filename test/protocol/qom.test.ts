import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, MplError, QomBreachError } from '../../src/index.ts';
import { QomProfile, metricsFromReport, readQomReport, type QomMetrics } from '../../src/qom.ts';

const PERFECT: QomMetrics = {
  schemaFidelity: 1, instructionCompliance: 1, groundedness: 1,
  determinismJitter: 1, ontologyAdherence: 1, toolOutcomeCorrectness: 1,
};

function thresholdsOf(profile: QomProfile): Record<string, [number, number, boolean]> {
  return Object.fromEntries(profile.thresholds.map((t) => [t.metric, [t.min, t.sampleRate, t.required]]));
}

describe('QomProfile.builtin', () => {
  it('has the four profiles of the reference with their thresholds', () => {
    assert.deepEqual([...QomProfile.builtinNames], ['qom-basic', 'qom-strict-argcheck', 'qom-outcome', 'qom-comprehensive']);
    assert.deepEqual(thresholdsOf(QomProfile.builtin('qom-basic')), { schemaFidelity: [1, 1, true] });
    assert.deepEqual(thresholdsOf(QomProfile.builtin('qom-strict-argcheck')), { schemaFidelity: [1, 1, true], instructionCompliance: [0.97, 1, true] });
    assert.deepEqual(thresholdsOf(QomProfile.builtin('qom-outcome')), { schemaFidelity: [1, 1, true], toolOutcomeCorrectness: [0.9, 1, true] });
    assert.deepEqual(thresholdsOf(QomProfile.builtin('qom-comprehensive')), {
      schemaFidelity: [1, 1, true],
      instructionCompliance: [0.95, 1, true],
      groundedness: [0.8, 0.5, false],
      determinismJitter: [0.9, 0.3, false],
      ontologyAdherence: [0.95, 1, false],
      toolOutcomeCorrectness: [0.9, 1, true],
    });
  });

  it('exposes name, description and the retry policy without acting on it', () => {
    const basic = QomProfile.builtin('qom-basic');
    assert.equal(basic.name, 'qom-basic');
    assert.match(basic.description, /Schema Fidelity/);
    assert.equal(basic.retryPolicy, undefined);
    assert.deepEqual(QomProfile.builtin('qom-strict-argcheck').retryPolicy, { maxRetries: 1, degradeTo: 'qom-basic', onFailure: 'escalate' });
    assert.deepEqual(QomProfile.builtin('qom-outcome').retryPolicy, { maxRetries: 2, degradeTo: 'qom-basic', onFailure: 'error' });
    assert.deepEqual(QomProfile.builtin('qom-comprehensive').retryPolicy, { maxRetries: 2, degradeTo: 'qom-strict-argcheck', onFailure: 'escalate' });
  });

  it('is immutable', () => {
    const p = QomProfile.builtin('qom-outcome');
    assert.throws(() => { (p as { name: string }).name = 'x'; }, TypeError);
    assert.throws(() => { (p.thresholds as unknown as unknown[]).push({}); }, TypeError);
    assert.equal(QomProfile.builtin('qom-outcome').thresholds.length, 2);
  });

  it('refuses an unknown name with the list of known ones (a name JavaScript passes: TypeScript refuses it)', () => {
    const builtin = QomProfile.builtin as (name: string) => QomProfile;
    assert.throws(() => builtin('qom-lite'), (e: unknown) => e instanceof MplError
      && e.code === ErrorCode.InvalidArgument && /qom-lite/.test(e.message) && /qom-comprehensive/.test(e.message));
    assert.throws(() => builtin('toString'), MplError);
  });

  it('isBuiltin: the four names of builtinNames, and nothing an object inherits', () => {
    assert.deepEqual(QomProfile.builtinNames, ['qom-basic', 'qom-strict-argcheck', 'qom-outcome', 'qom-comprehensive']);
    assert.ok(Object.isFrozen(QomProfile.builtinNames));
    for (const name of QomProfile.builtinNames) assert.equal(QomProfile.isBuiltin(name), true, name);
    for (const name of ['qom-lite', 'toString', '__proto__', 'QOM-BASIC', '']) assert.equal(QomProfile.isBuiltin(name), false, name);
  });
});

describe('QomProfile.evaluate', () => {
  it('passes perfect metrics on every profile', () => {
    for (const name of QomProfile.builtinNames) {
      assert.deepEqual(QomProfile.builtin(name).evaluate(PERFECT), { meetsProfile: true, failures: [] }, name);
    }
  });

  it('qom-basic: schema fidelity below 1 is a breach, other metrics are ignored', () => {
    const basic = QomProfile.builtin('qom-basic');
    assert.deepEqual(basic.evaluate({ schemaFidelity: 0.99 }), { meetsProfile: false, failures: [{ metric: 'schemaFidelity', actual: 0.99, threshold: 1 }] });
    assert.deepEqual(basic.evaluate({ schemaFidelity: 1, instructionCompliance: 0 }), { meetsProfile: true, failures: [] });
  });

  it('qom-strict-argcheck: instruction compliance exactly at the threshold passes, just below fails', () => {
    const strict = QomProfile.builtin('qom-strict-argcheck');
    assert.equal(strict.evaluate({ schemaFidelity: 1, instructionCompliance: 0.97 }).meetsProfile, true);
    assert.deepEqual(strict.evaluate({ schemaFidelity: 1, instructionCompliance: 0.969 }).failures, [{ metric: 'instructionCompliance', actual: 0.969, threshold: 0.97 }]);
  });

  it('qom-strict-argcheck: absent instruction compliance is a breach with actual undefined', () => {
    assert.deepEqual(QomProfile.builtin('qom-strict-argcheck').evaluate({ schemaFidelity: 1 }), {
      meetsProfile: false, failures: [{ metric: 'instructionCompliance', actual: undefined, threshold: 0.97 }],
    });
  });

  it('qom-outcome: absent or low tool outcome correctness is a breach', () => {
    const outcome = QomProfile.builtin('qom-outcome');
    assert.deepEqual(outcome.evaluate({ schemaFidelity: 1 }).failures, [{ metric: 'toolOutcomeCorrectness', actual: undefined, threshold: 0.9 }]);
    assert.deepEqual(outcome.evaluate({ schemaFidelity: 1, toolOutcomeCorrectness: 0 }).failures, [{ metric: 'toolOutcomeCorrectness', actual: 0, threshold: 0.9 }]);
    assert.equal(outcome.evaluate({ schemaFidelity: 1, toolOutcomeCorrectness: 0.9 }).meetsProfile, true);
  });

  it('absent schema fidelity is always a breach', () => {
    for (const name of QomProfile.builtinNames) {
      const { failures } = QomProfile.builtin(name).evaluate({ ...PERFECT, schemaFidelity: undefined } as unknown as QomMetrics);
      assert.deepEqual(failures, [{ metric: 'schemaFidelity', actual: undefined, threshold: 1 }], name);
    }
    assert.equal(QomProfile.builtin('qom-basic').evaluate({}).meetsProfile, false);
  });

  it('qom-comprehensive: sampled and optional metrics are skipped when absent, checked when present', () => {
    const comp = QomProfile.builtin('qom-comprehensive');
    const required = { schemaFidelity: 1, instructionCompliance: 0.95, toolOutcomeCorrectness: 0.9 };
    assert.deepEqual(comp.evaluate(required), { meetsProfile: true, failures: [] });
    assert.deepEqual(comp.evaluate({ ...required, groundedness: 0.79, determinismJitter: 0.5, ontologyAdherence: 0.94 }).failures, [
      { metric: 'groundedness', actual: 0.79, threshold: 0.8 },
      { metric: 'determinismJitter', actual: 0.5, threshold: 0.9 },
      { metric: 'ontologyAdherence', actual: 0.94, threshold: 0.95 },
    ]);
  });

  it('qom-comprehensive: lists every failure in metric order, absent required ones included', () => {
    const { meetsProfile, failures } = QomProfile.builtin('qom-comprehensive').evaluate({ toolOutcomeCorrectness: 0.1, schemaFidelity: 0.5 });
    assert.equal(meetsProfile, false);
    assert.deepEqual(failures.map((f) => [f.metric, f.actual]), [
      ['schemaFidelity', 0.5], ['instructionCompliance', undefined], ['toolOutcomeCorrectness', 0.1],
    ]);
  });

  it('refuses metric values that are not finite numbers', () => {
    const strict = QomProfile.builtin('qom-strict-argcheck');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '0.99', null, true]) {
      assert.throws(() => strict.evaluate({ schemaFidelity: 1, instructionCompliance: bad as number }), (e: unknown) =>
        e instanceof MplError && e.code === ErrorCode.InvalidArgument && /instructionCompliance/.test(e.message), String(bad));
    }
    assert.throws(() => strict.evaluate(null as unknown as QomMetrics), MplError);
  });

  it('ignores bad values of metrics the profile does not check', () => {
    assert.equal(QomProfile.builtin('qom-basic').evaluate({ schemaFidelity: 1, groundedness: Number.NaN }).meetsProfile, true);
  });
});

describe('metricsFromReport', () => {
  it('reads snake_case wire metrics into camelCase keys', () => {
    assert.deepEqual(metricsFromReport({
      profile: 'qom-comprehensive', meets_profile: true,
      metrics: {
        schema_fidelity: 1, instruction_compliance: 0.98, groundedness: 0.8,
        determinism_jitter: 0.9, ontology_adherence: 0.97, tool_outcome_correctness: 1,
      },
    }), {
      schemaFidelity: 1, instructionCompliance: 0.98, groundedness: 0.8,
      determinismJitter: 0.9, ontologyAdherence: 0.97, toolOutcomeCorrectness: 1,
    });
  });

  it('leaves out unknown metrics and reads null as absent', () => {
    assert.deepEqual(metricsFromReport({ metrics: { schema_fidelity: 1, latency_ms: 12, groundedness: null as unknown as number } }), { schemaFidelity: 1 });
    assert.deepEqual(metricsFromReport({ meets_profile: true }), {});
  });

  it('refuses a malformed report with E-INVALID-ENVELOPE', () => {
    const bad = [null, [], { metrics: [1] }, { metrics: 'all good' }, { metrics: { schema_fidelity: '1.0' } }];
    for (const report of bad) {
      assert.throws(() => metricsFromReport(report as never), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidEnvelope, JSON.stringify(report));
    }
  });
});

describe('QomProfile.assertReport / evaluateReport', () => {
  const strict = QomProfile.builtin('qom-strict-argcheck');

  it('does nothing for a passing report or for no report at all', () => {
    strict.assertReport({ metrics: { schema_fidelity: 1, instruction_compliance: 0.99 } });
    strict.assertReport(undefined);
    assert.deepEqual(strict.evaluateReport(undefined), { meetsProfile: true, failures: [] });
  });

  it('throws QomBreachError with metric, expected, actual and profile for the first failure', () => {
    assert.throws(() => strict.assertReport({ profile: 'qom-strict-argcheck', metrics: { schema_fidelity: 0, instruction_compliance: 0.5 } }), (e: unknown) => {
      assert.ok(e instanceof QomBreachError);
      assert.equal(e.code, ErrorCode.QomBreach);
      assert.equal(e.metric, 'schemaFidelity');
      assert.equal(e.expected, 1);
      assert.equal(e.actual, 0);
      assert.equal(e.profile, 'qom-strict-argcheck');
      assert.equal(e.details['wireMetric'], 'schema_fidelity');
      return true;
    });
  });

  it('reports an absent required metric as actual undefined', () => {
    assert.throws(() => strict.assertReport({ metrics: { schema_fidelity: 1 } }), (e: unknown) =>
      e instanceof QomBreachError && e.metric === 'instructionCompliance' && e.actual === undefined && /absent/.test(e.message));
  });

  it('judges by the metrics, and also takes the reporter\'s own verdict of a breach', () => {
    assert.equal(strict.evaluateReport({ meets_profile: true, metrics: { schema_fidelity: 1 } }).meetsProfile, false);
    const said = strict.evaluateReport({ meets_profile: false, metrics: { schema_fidelity: 1, instruction_compliance: 1 } });
    assert.deepEqual(said, { meetsProfile: false, failures: [], reported: [] });
    assert.throws(() => strict.assertReport({ meets_profile: false, metrics: { schema_fidelity: 1, instruction_compliance: 1 } }), (e: unknown) =>
      e instanceof QomBreachError && e.metric === 'meets_profile' && e.profile === 'qom-strict-argcheck' && /reporter itself says/.test(e.message));
  });

  it('takes a verdict about another profile as that profile\'s business, not a breach of this one', () => {
    assert.equal(strict.evaluateReport({ profile: 'qom-comprehensive', meets_profile: false, metrics: { schema_fidelity: 1, instruction_compliance: 1 } }).meetsProfile, true);
  });

  it('a listed failure is a breach naming the metric the reporter named', () => {
    const report = { failures: [{ metric: 'instruction_compliance', actual: 0.6, threshold: 0.97 }], schema_fidelity: 1, instruction_compliance: 0.99 };
    assert.throws(() => strict.assertReport(report), (e: unknown) =>
      e instanceof QomBreachError && e.metric === 'instructionCompliance' && e.actual === 0.6 && e.expected === 0.97);
  });
});

describe('QoM report layouts (readQomReport)', () => {
  const strict = QomProfile.builtin('qom-strict-argcheck');
  const layouts: Array<[string, Record<string, unknown>]> = [
    ['core: metrics object', { meets_profile: true, profile: 'qom-strict-argcheck', metrics: { schema_fidelity: 1.0, instruction_compliance: 0.98 } }],
    ['flat at the top level', { profile: 'qom-strict-argcheck', schema_fidelity: 1.0, instruction_compliance: 0.98 }],
    ['camelCase', { meetsProfile: true, metrics: { schemaFidelity: 1.0, instructionCompliance: 0.98 } }],
    ['camelCase flat', { schemaFidelity: 1, instructionCompliance: 0.98 }],
    ['{score} metrics', { metrics: { schema_fidelity: { score: 1.0, details: 'all fields valid' }, instruction_compliance: { score: 0.98, details: {} } } }],
    ['extra members', { meets_profile: true, metrics: { schema_fidelity: 1, instruction_compliance: 0.98 }, assertions_passed: 12, artifacts: ['a'], evaluated_at: '2024-03-01T14:00:00Z', failures: [] }],
  ];
  for (const [name, report] of layouts) {
    it(`reads ${name}: no false breach, and the same metrics`, () => {
      assert.deepEqual(readQomReport(report).metrics, { schemaFidelity: 1, instructionCompliance: 0.98 });
      assert.deepEqual(strict.evaluateReport(report), { meetsProfile: true, failures: [] });
    });
    it(`reads ${name}: a low metric is a breach`, () => {
      const low = JSON.parse(JSON.stringify(report).replace('0.98', '0.5')) as Record<string, unknown>;
      assert.throws(() => strict.assertReport(low), (e: unknown) => e instanceof QomBreachError && e.metric === 'instructionCompliance' && e.actual === 0.5 && e.expected === 0.97);
    });
  }

  it('a report with only a verdict is judged by it (no metric read as 0)', () => {
    assert.equal(strict.evaluateReport({ meets_profile: true }).meetsProfile, true);
    assert.equal(strict.evaluateReport({ meetsProfile: false }).meetsProfile, false);
  });

  it('a required metric named as null (not measured) counts as absent: a breach, whatever the verdict says', () => {
    const basic = QomProfile.builtin('qom-basic');
    for (const report of [{ meets_profile: true, metrics: { schema_fidelity: null } }, { schemaFidelity: null }, { meets_profile: true, metrics: { schema_fidelity: { score: null } } }, { meetsProfile: true, schema_fidelity: null, metrics: {} }]) {
      assert.deepEqual(readQomReport(report).unmeasured, ['schemaFidelity'], JSON.stringify(report));
      const verdict = basic.evaluateReport(report);
      assert.equal(verdict.meetsProfile, false, JSON.stringify(report));
      assert.deepEqual(verdict.failures, [{ metric: 'schemaFidelity', actual: undefined, threshold: 1 }]);
      assert.throws(() => basic.assertReport(report), (e: unknown) => e instanceof QomBreachError && e.metric === 'schemaFidelity' && e.actual === undefined);
    }
    // An optional metric not measured is skipped, with or without values beside it; a report that names no metric at all is judged by its verdict.
    assert.equal(basic.evaluateReport({ meets_profile: true, metrics: { groundedness: null } }).meetsProfile, true);
    assert.equal(QomProfile.builtin('qom-comprehensive').evaluateReport({ meets_profile: true, metrics: { groundedness: null, determinism_jitter: null } }).meetsProfile, true);
    assert.deepEqual(readQomReport({ metrics: { schema_fidelity: 1, groundedness: null } }).unmeasured, ['groundedness']);
    assert.deepEqual(readQomReport({ schema_fidelity: null, metrics: { schema_fidelity: 1 } }).unmeasured, [], 'given a value in another place: measured');
    assert.equal(QomProfile.builtin('qom-comprehensive').evaluateReport({ metrics: { schema_fidelity: 1, instruction_compliance: 1, ontology_adherence: 1, tool_outcome_correctness: 1, groundedness: null } }).meetsProfile, true);
    assert.equal(readQomReport({ meets_profile: true, metrics: {} }).measured, false);
    assert.equal(basic.evaluateReport({ meets_profile: true, metrics: {} }).meetsProfile, true);
  });

  it('reportedBreach: the reporter\'s own verdict, meets_profile false or any failure listed, whatever profile it names', () => {
    assert.equal(readQomReport({ meets_profile: true, metrics: { schema_fidelity: 1 } }).reportedBreach, false);
    assert.equal(readQomReport({ metrics: { schema_fidelity: 0 } }).reportedBreach, false, 'a low metric is the SDK\'s reading, not the reporter\'s verdict');
    assert.equal(readQomReport({ meetsProfile: false }).reportedBreach, true);
    assert.equal(readQomReport({ profile: 'other', failures: [{ metric: 'groundedness', actual: 0.5, required: 0.8 }] }).reportedBreach, true);
    assert.equal(readQomReport({ meets_profile: true, failures: [] }).reportedBreach, false);
  });

  it('a metric is named snake_case or camelCase, nothing in between; other names are left out', () => {
    const reading = readQomReport({ schema_fidelity: 1, toolOutcomeCorrectness: 0.9, Schema_Fidelity: 0, schema_Fidelity: 0, SCHEMA_FIDELITY: 0, schemafidelity: 0, metrics: { ontology_adherence: 0.95, determinismJitter: 0.8, __proto__: 0 } });
    assert.deepEqual(reading.metrics, { schemaFidelity: 1, toolOutcomeCorrectness: 0.9, ontologyAdherence: 0.95, determinismJitter: 0.8 });
  });

  it('a known metric in a layout it cannot read is E-INVALID-ENVELOPE, never a breach', () => {
    for (const report of [{ metrics: { schema_fidelity: { value: 1 } } }, { schemaFidelity: 'high' }]) {
      assert.throws(() => strict.assertReport(report as never), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidEnvelope, JSON.stringify(report));
    }
  });
});

describe('QomProfile.fromJSON', () => {
  const file = {
    name: 'qom-strict-argcheck',
    description: 'Strict validation: Schema Fidelity and Instruction Compliance',
    metrics: { schema_fidelity: { min: 1.0, sample_rate: 1.0 }, instruction_compliance: { min: 0.97, sample_rate: 1.0 } },
    retry_policy: { max_retries: 1, degrade_to: 'qom-basic', on_failure: 'escalate' },
  };

  it('reads the reference profile file format', () => {
    const p = QomProfile.fromJSON(file);
    assert.equal(p.name, 'qom-strict-argcheck');
    assert.equal(p.description, file.description);
    assert.deepEqual(thresholdsOf(p), thresholdsOf(QomProfile.builtin('qom-strict-argcheck')));
    assert.deepEqual(p.retryPolicy, { maxRetries: 1, degradeTo: 'qom-basic', onFailure: 'escalate' });
  });

  it('accepts JSON text and round-trips through toJSON', () => {
    const p = QomProfile.fromJSON(JSON.stringify(file));
    assert.deepEqual(QomProfile.fromJSON(p.toJSON()), p);
    for (const name of QomProfile.builtinNames) {
      const b = QomProfile.builtin(name);
      assert.deepEqual(QomProfile.fromJSON(JSON.parse(JSON.stringify(b))), b);
    }
  });

  it('honours an explicit "required" over the defaults', () => {
    const p = QomProfile.fromJSON({ name: 'custom', metrics: { schema_fidelity: { min: 1 }, groundedness: { min: 0.8, sample_rate: 0.5, required: true }, tool_outcome_correctness: { min: 0.9, required: false } } });
    assert.deepEqual(p.evaluate({ schemaFidelity: 1 }).failures, [{ metric: 'groundedness', actual: undefined, threshold: 0.8 }]);
  });

  it('treats a sampled instruction compliance as optional', () => {
    const p = QomProfile.fromJSON({ name: 'sampled-ic', metrics: { schema_fidelity: { min: 1 }, instruction_compliance: { min: 0.9, sample_rate: 0.2 } } });
    assert.equal(p.evaluate({ schemaFidelity: 1 }).meetsProfile, true);
    assert.equal(p.evaluate({ schemaFidelity: 1, instructionCompliance: 0.5 }).meetsProfile, false);
  });

  it('refuses malformed profiles with a message naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [null, /must be an object/],
      ['{not json', /not valid JSON/],
      [{ metrics: { schema_fidelity: { min: 1 } } }, /"name"/],
      [{ name: 'x' }, /"metrics"/],
      [{ name: 'x', metrics: {} }, /at least one metric/],
      [{ name: 'x', metrics: { accuracy: { min: 0.9 } } }, /accuracy is not a QoM metric/],
      [{ name: 'x', metrics: { schema_fidelity: 1 } }, /must be an object/],
      [{ name: 'x', metrics: { schema_fidelity: { min: '1' } } }, /"min" must be a number/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1.5 } } }, /"min" must be a number from 0 to 1/],
      [{ name: 'x', metrics: { schema_fidelity: { min: Number.NaN } } }, /"min"/],
      [{ name: 'x', metrics: { groundedness: { min: 0.8, sample_rate: 0 } } }, /"sample_rate"/],
      [{ name: 'x', metrics: { groundedness: { min: 0.8, required: 'yes' } } }, /"required"/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1, required: false } } }, /always required/],
      [{ name: 'x', description: 3, metrics: { schema_fidelity: { min: 1 } } }, /"description"/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1 } }, retry_policy: 'twice' }, /"retry_policy"/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1 } }, retry_policy: { max_retries: -1, on_failure: 'error' } }, /max_retries/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1 } }, retry_policy: { max_retries: 1, on_failure: 'panic' } }, /on_failure/],
      [{ name: 'x', metrics: { schema_fidelity: { min: 1 } }, retry_policy: { max_retries: 1, degrade_to: 7, on_failure: 'warn' } }, /degrade_to/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => QomProfile.fromJSON(input), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument && message.test(e.message), JSON.stringify(input));
    }
  });
});

describe('QomProfile.resolve', () => {
  const source = (files: Record<string, object>) => ({ getProfile: async (name: string) => files[name] });

  it('prefers the registry file, falls back to the built-in profile', async () => {
    const lenient = { name: 'qom-basic', metrics: { schema_fidelity: { min: 0.5 } } };
    assert.equal((await QomProfile.resolve('qom-basic', source({ 'qom-basic': lenient }))).evaluate({ schemaFidelity: 0.6 }).meetsProfile, true);
    assert.equal((await QomProfile.resolve('qom-basic', source({}))).evaluate({ schemaFidelity: 0.6 }).meetsProfile, false);
    assert.equal((await QomProfile.resolve('qom-outcome')).name, 'qom-outcome');
  });

  it('refuses an unknown name and a file that names another profile', async () => {
    await assert.rejects(QomProfile.resolve('qom-nope', source({})), MplError);
    await assert.rejects(QomProfile.resolve('qom-basic', source({ 'qom-basic': { name: 'qom-other', metrics: { schema_fidelity: { min: 1 } } } })), /named qom-other/);
  });
});

describe('the registry\'s profile files', () => {
  const dir = new URL('../../registry/profiles/', import.meta.url);

  it('every file in registry/profiles/ reads with fromJSON and agrees with the built-in profile of its name', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(files, ['qom-basic.json', 'qom-comprehensive.json', 'qom-outcome.json', 'qom-strict-argcheck.json']);
    for (const file of files) {
      const profile = QomProfile.fromJSON(await readFile(new URL(file, dir), 'utf8'));
      assert.ok(QomProfile.isBuiltin(profile.name), profile.name);
      const builtin = QomProfile.builtin(profile.name);
      assert.equal(`${profile.name}.json`, file);
      assert.deepEqual(thresholdsOf(profile), thresholdsOf(builtin), `${file}: thresholds, sample rates and required flags`);
      assert.deepEqual(profile.evaluate(PERFECT), { meetsProfile: true, failures: [] });
    }
  });

  it('QomProfile.resolve reads them through the embedded registry\'s getProfile', async () => {
    const { embeddedRegistry } = await import('../../src/index.ts');
    const registry = embeddedRegistry();
    for (const name of QomProfile.builtinNames) {
      const profile = await QomProfile.resolve(name, registry);
      assert.equal(profile.name, name);
      assert.deepEqual(profile, QomProfile.fromJSON(await registry.getProfile(name)));
    }
    await assert.rejects(QomProfile.resolve('qom-made-up', registry), MplError);
  });
});
