// QoM: the reference's built-in profiles, evaluation of metrics and of wire reports.
import { assert } from '../harness.mjs';

export function register(test, { sdk }) {
  // QomProfile and metricsFromReport come from mpl-sdk/qom, the errors from mpl-sdk: one class of each, whichever entry throws.
  const { QomProfile, metricsFromReport, QomBreachError, MplError } = sdk;

  test('the four built-in profiles exist; an unknown name is refused', () => {
    for (const name of ['qom-basic', 'qom-strict-argcheck', 'qom-outcome', 'qom-comprehensive']) assert.equal(QomProfile.builtin(name).name, name);
    const error = assert.throws(() => QomProfile.builtin('qom-nope'));
    assert.ok(error instanceof MplError);
  });

  test('evaluate: meets the profile, or lists each failing metric with actual and threshold', () => {
    const strict = QomProfile.builtin('qom-strict-argcheck');
    assert.deepEqual(strict.evaluate({ schemaFidelity: 1, instructionCompliance: 0.99 }), { meetsProfile: true, failures: [] });
    assert.deepEqual(strict.evaluate({ schemaFidelity: 0.5, instructionCompliance: 0.9 }), {
      meetsProfile: false,
      failures: [{ metric: 'schemaFidelity', actual: 0.5, threshold: 1 }, { metric: 'instructionCompliance', actual: 0.9, threshold: 0.97 }],
    });
    assert.deepEqual(QomProfile.builtin('qom-outcome').evaluate({ schemaFidelity: 1 }).failures, [{ metric: 'toolOutcomeCorrectness', actual: undefined, threshold: 0.9 }]);
  });

  test('wire reports: snake_case metrics read into camelCase; a breach throws QomBreachError', () => {
    assert.deepEqual(metricsFromReport({ metrics: { schema_fidelity: 1, instruction_compliance: 0.98, vendor_metric: 3 } }), { schemaFidelity: 1, instructionCompliance: 0.98 });
    const profile = QomProfile.builtin('qom-strict-argcheck');
    profile.assertReport({ metrics: { schema_fidelity: 1, instruction_compliance: 0.98 } });
    const breach = assert.throws(() => profile.assertReport({ metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } }));
    assert.ok(breach instanceof QomBreachError);
    assert.equal(breach.code, 'E-QOM-BREACH');
    assert.deepEqual([breach.metric, breach.expected, breach.actual, breach.profile], ['instructionCompliance', 0.97, 0.5, 'qom-strict-argcheck']);
    assert.equal(assert.throws(() => metricsFromReport({ metrics: { schema_fidelity: 'high' } })).code, 'E-INVALID-ENVELOPE');
  });

  test('a profile file round-trips through toJSON and fromJSON', () => {
    const json = JSON.parse(JSON.stringify(QomProfile.builtin('qom-strict-argcheck')));
    const back = QomProfile.fromJSON(json);
    assert.equal(back.name, 'qom-strict-argcheck');
    assert.deepEqual(back.retryPolicy, { maxRetries: 1, degradeTo: 'qom-basic', onFailure: 'escalate' });
    assert.equal(assert.throws(() => QomProfile.fromJSON({ name: 'x', metrics: {} })).code, 'E-INVALID-ARGUMENT');
  });
}
