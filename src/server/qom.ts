import type { QomProfile, QomReport } from './sdk.ts';

/** What the server measured about a message it checked and handled. snake_case, 0..1. */
export type MeasuredMetrics = Record<string, number>;

/** The metrics this server can honestly measure for a message it checked and handled. */
export function measure(check: { schemaValid: boolean; hashOk: boolean | undefined; handled: boolean }): MeasuredMetrics {
  const intact = check.schemaValid && check.hashOk !== false;
  return {
    schema_fidelity: check.schemaValid ? 1 : 0,
    // Argument check: the payload is exactly what was declared (schema and hash).
    instruction_compliance: intact ? 1 : 0,
    // The SType is one of the registry's and the payload keeps to it.
    ontology_adherence: check.schemaValid ? 1 : 0,
    tool_outcome_correctness: intact && check.handled ? 1 : 0,
  };
}

/** The profile a report is judged against when the peer named none: schema fidelity only. */
const BASELINE_PROFILE = 'qom-basic';

/**
 * A wire `qom_report` for `profileName`, its verdict given by the SDK's own `QomProfile`
 * rules (a required metric that is absent is a breach, an optional one is skipped), so
 * server and client judge a report the same way. With no profile named it is judged as
 * `qom-basic` is (schema fidelity 1) and says so: the reference core's `QomReport` requires
 * `profile`, and refuses the whole envelope of a report without one.
 */
export function qomReport(profileName: string | undefined, profile: QomProfile | undefined, metrics: MeasuredMetrics): QomReport & { meets_profile: boolean } {
  const meets = metrics['schema_fidelity'] === 1 && (profile === undefined || profile.evaluateReport({ metrics }).meetsProfile);
  return { profile: profileName ?? BASELINE_PROFILE, meets_profile: meets, metrics };
}
