import type { QomMetricName, QomWireMetricName } from './qom.ts';

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
  /** References to the context the payload was made from. */
  inputsRef?: string[];
  /**
   * Sources for groundedness checks: the reference core's `{"ref", "artifact_type", "text",
   * "url"}` objects, as sent; a string is a reference, sent as `{"ref": …}`.
   */
  artifacts?: Array<string | ProvenanceArtifact>;
  /** The consent receipt the message was sent under (`consent_ref` on the wire). */
  consentRef?: string;
  /** The policy it was sent under (`policy_ref`). */
  policyRef?: string;
  /** A signature over the semantic hash, as the sender wrote it. */
  signature?: string;
  /**
   * Members this SDK does not know, under their wire names, kept as they came so that an
   * envelope read and sent on loses nothing.
   */
  extra?: Record<string, unknown>;
}

/**
 * A source named in {@link Provenance.artifacts}, as the reference core writes it.
 *
 * @example
 * const artifact: ProvenanceArtifact = { ref: 'doc-7', artifact_type: 'document', url: 'https://example.com/doc-7' };
 */
export interface ProvenanceArtifact {
  ref: string;
  artifact_type?: string;
  text?: string;
  url?: string;
  [member: string]: unknown;
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
  artifacts?: Array<string | ProvenanceArtifact>;
  consent_ref?: string;
  policy_ref?: string;
  signature?: string;
  [extra: string]: unknown;
}

/**
 * One metric's value in a QoM report, as peers send it: a number 0..1, an object with a
 * `score` and whatever detail the reporter adds (`{"score": 0.98, "details": …}`), or
 * `null` (not measured). Read it with `readQomReport` (`mpl-sdk/qom`), which gives plain
 * numbers whatever the layout.
 *
 * @example
 * const value: QomMetricValue = { score: 0.98, details: { checked: 50 } };
 * const score = typeof value === 'number' ? value : value?.score; // 0.98
 */
export type QomMetricValue = number | null | { score: number | null; [detail: string]: unknown };

/** The six metrics, by either name: a report's `metrics`, or its top level when they are flat. */
type KnownQomMetrics = { [M in QomWireMetricName | QomMetricName]?: QomMetricValue };

/**
 * A report's metrics by name: snake_case as the core sends them (`schema_fidelity`), or
 * camelCase (`schemaFidelity`) as some SDKs do. Metrics this SDK does not know may be there too.
 *
 * @example
 * const metrics: QomReportMetrics = { schema_fidelity: 1, instruction_compliance: { score: 0.98 } };
 */
export type QomReportMetrics = KnownQomMetrics & { [other: string]: unknown };

/**
 * A failure a reporter lists in its report. The threshold is `threshold`, or `required` /
 * `expected` in some peers' spelling.
 *
 * @example
 * const failure: QomReportFailure = { metric: 'instruction_compliance', actual: 0.6, threshold: 0.97 };
 */
export interface QomReportFailure {
  metric: string;
  actual?: number | null;
  threshold?: number;
  required?: number;
  expected?: number;
  [extra: string]: unknown;
}

/**
 * A quality-of-meaning report attached to a reply, in the layouts MPL peers send (PROTOCOL
 * "QoM reports"): the core's `{"meets_profile", "profile", "metrics": {"schema_fidelity": 1.0}}`;
 * the same metrics flat at the top level; camelCase names (`meetsProfile`, `schemaFidelity`);
 * a metric as a number or `{"score": 0.98, …}`; `failures: [{metric, actual, threshold}]`;
 * extra members. A metric is not always a number, so do not compare it directly: read the
 * report with `readQomReport` or `metricsFromReport` (from `mpl-sdk/qom`), or judge it with
 * `QomProfile.evaluateReport`.
 *
 * @example
 * import { QomProfile } from 'mpl-sdk/qom';
 * const report: QomReport = { profile: 'qom-basic', meets_profile: true, metrics: { schema_fidelity: 1 } };
 * QomProfile.builtin('qom-basic').evaluateReport(report).meetsProfile; // true
 */
export interface QomReport extends KnownQomMetrics {
  /** The profile the report was evaluated against. */
  profile?: string;
  /** The reporter's own verdict, if it gave one. */
  meets_profile?: boolean;
  /** The reporter's own verdict, camelCase. */
  meetsProfile?: boolean;
  /** Metric name → value; `null` or absent when the metrics are flat at the top level. */
  metrics?: QomReportMetrics | null;
  /** The failures the reporter found, if it lists them. */
  failures?: QomReportFailure[];
  [extra: string]: unknown;
}

/**
 * Any JSON value.
 *
 * @example
 * const payload: JsonValue = { title: 'Sync', attendees: ['alice@example.com'], remote: true };
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
