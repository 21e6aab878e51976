/** A QoM profile file as the registry holds it (`registry/profiles/<name>.json`). */
interface ProfileFile {
  metrics?: Record<string, { min?: number; sample_rate?: number; required?: boolean }>;
}

/** What the server measured about a message it handled. snake_case, 0..1. */
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

/**
 * Builds a wire `qom_report` for `profileName`. A metric the profile requires and the
 * report lacks counts as a breach; a sampled one (`sample_rate` < 1) is skipped.
 */
export function qomReport(profileName: string | undefined, profile: unknown, metrics: MeasuredMetrics): { profile?: string; meets_profile: boolean; metrics: MeasuredMetrics } {
  const thresholds = (profile as ProfileFile | undefined)?.metrics ?? {};
  let meets = metrics['schema_fidelity'] === 1;
  for (const [name, rule] of Object.entries(thresholds)) {
    const value = metrics[name];
    const sampled = (rule.sample_rate ?? 1) < 1 && rule.required !== true;
    if (value === undefined ? !sampled : value < (rule.min ?? 0)) meets = false;
  }
  return profileName === undefined ? { meets_profile: meets, metrics } : { profile: profileName, meets_profile: meets, metrics };
}
