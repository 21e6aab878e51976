/**
 * mpl-sdk/qom: quality-of-meaning profiles (`QomProfile`) and the reading of the QoM
 * reports peers attach to replies (`readQomReport`, `metricsFromReport`). A subpath of its
 * own, so a page that does not evaluate QoM itself does not load it at start-up; a
 * `Session` or `Client` loads the same module on demand when a reply carries a report.
 * Its types are exported by `mpl-sdk` too.
 * @packageDocumentation
 * @module mpl-sdk/qom
 */
export {
  QomProfile, readQomReport, metricsFromReport,
  type QomMetricName, type QomWireMetricName, type QomMetrics, type QomThreshold, type QomRetryPolicy, type QomFailure,
  type QomEvaluation, type QomProfileJSON, type BuiltinQomProfileName, type BuiltinQomProfileNames, type ProfileSource, type QomReportReading, type ReportedQomFailure,
} from './protocol/qom.ts';
export type { QomReport, QomReportMetrics, QomMetricValue, QomReportFailure } from './protocol/types.ts';
