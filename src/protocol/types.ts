/**
 * Where a message came from and why it was sent. On the wire `intent` is required
 * whenever provenance is present: a peer cannot read an envelope without it.
 *
 * @example
 * await session.send('org.agent.TaskResult.v1', result, { provenance: { intent: 'report', agent: 'planner', parentId: plan.id } });
 */
export interface Provenance {
  /** Why this message exists, in a few words. Required. */
  intent: string;
  /** Who produced it. */
  agent?: string;
  /** The id of the envelope this one answers or derives from. */
  parentId?: string;
  inputsRef?: string[];
  artifacts?: string[];
}

/**
 * Provenance as it travels: snake_case.
 *
 * @example
 * const wire: WireProvenance = { intent: 'report', agent: 'planner', parent_id: 'p-1' };
 */
export interface WireProvenance {
  intent: string;
  agent?: string;
  parent_id?: string;
  inputs_ref?: string[];
  artifacts?: string[];
  [extra: string]: unknown;
}

/**
 * A quality-of-meaning report attached to a reply. Metric values are 0..1; keys on the
 * wire are snake_case (`schema_fidelity`, `instruction_compliance`, …).
 *
 * @example
 * const report: QomReport = { profile: 'qom-basic', meets_profile: true, metrics: { schema_fidelity: 1 } };
 * QomProfile.builtin('qom-basic').evaluateReport(report).meetsProfile; // true
 */
export interface QomReport {
  /** The profile the report was evaluated against. */
  profile?: string;
  /** The reporter's own verdict, if it gave one. */
  meets_profile?: boolean;
  /** Metric name (snake_case) → value. */
  metrics?: Record<string, number>;
  [extra: string]: unknown;
}

/**
 * Any JSON value.
 *
 * @example
 * const payload: JsonValue = { title: 'Sync', attendees: ['alice@example.com'], remote: true };
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
