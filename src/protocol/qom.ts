import { declaresBreach } from './qom-verdict.ts';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { QomBreachError } from '../errors/qom-breach-error.ts';
import { isJsonObject } from './json.ts';
import type { QomReport } from './types.ts';
import { keepName } from '../platform/class-name.ts';

/** The six quality-of-meaning metrics, in the order a profile checks them. */
const METRICS = {
  schemaFidelity: 'schema_fidelity',
  instructionCompliance: 'instruction_compliance',
  groundedness: 'groundedness',
  determinismJitter: 'determinism_jitter',
  ontologyAdherence: 'ontology_adherence',
  toolOutcomeCorrectness: 'tool_outcome_correctness',
} as const;

/**
 * A QoM metric, camelCase (`schemaFidelity`…); its wire name is snake_case (`schema_fidelity`…).
 *
 * @example
 * const metric: QomMetricName = 'toolOutcomeCorrectness'; // `tool_outcome_correctness` on the wire
 * const names = QomProfile.builtin('qom-outcome').thresholds.map((t) => t.metric); // ['schemaFidelity', 'toolOutcomeCorrectness']
 */
export type QomMetricName = keyof typeof METRICS;

/**
 * A QoM metric as a report or profile file names it on the wire: snake_case (`schema_fidelity`…).
 *
 * @example
 * const wire: QomWireMetricName = 'tool_outcome_correctness';
 * const report: QomReport = { metrics: { [wire]: 0.95 } };
 */
export type QomWireMetricName = (typeof METRICS)[QomMetricName];

/**
 * Metric values, 0..1, keyed by camelCase name. A metric the reporter did not measure is absent.
 *
 * @example
 * const metrics: QomMetrics = { schemaFidelity: 1, instructionCompliance: 0.98 };
 * QomProfile.builtin('qom-strict-argcheck').evaluate(metrics).meetsProfile; // true
 */
export type QomMetrics = Partial<Record<QomMetricName, number>>;

/**
 * One metric of a profile. `required`: whether an absent value is a breach (counted as 0)
 * or skipped. `sampleRate` < 1 means the metric is measured on a sample of messages only.
 *
 * @example
 * const grounded = QomProfile.builtin('qom-comprehensive').thresholds.find((t) => t.metric === 'groundedness');
 * // { metric: 'groundedness', min: 0.8, sampleRate: 0.5, required: false }
 */
export interface QomThreshold {
  metric: QomMetricName;
  min: number;
  sampleRate: number;
  required: boolean;
}

/**
 * What the reference does after a breach. Exposed for the caller; this SDK never retries on its own.
 *
 * @example
 * const policy = QomProfile.builtin('qom-outcome').retryPolicy;
 * // { maxRetries: 2, degradeTo: 'qom-basic', onFailure: 'error' }
 * const fallback = policy?.degradeTo === undefined ? undefined : await QomProfile.resolve(policy.degradeTo, registry);
 */
export interface QomRetryPolicy {
  maxRetries: number;
  /** The profile to fall back to, if any: a built-in one's name, or a registry's own. */
  degradeTo?: BuiltinQomProfileName | (string & {});
  /** `escalate` (to a person), `error` (to the caller) or `warn` (log and go on). */
  onFailure: 'escalate' | 'error' | 'warn';
}

/**
 * A metric below its threshold. `actual` is `undefined` when a required metric was absent.
 *
 * @example
 * const { failures } = QomProfile.builtin('qom-outcome').evaluate({ schemaFidelity: 1, toolOutcomeCorrectness: 0.7 });
 * for (const { metric, actual, threshold } of failures) console.warn(`${metric}: ${actual ?? 'missing'} < ${threshold}`);
 * // toolOutcomeCorrectness: 0.7 < 0.9
 */
export interface QomFailure {
  metric: QomMetricName;
  actual: number | undefined;
  threshold: number;
}

/**
 * The verdict of `QomProfile.evaluate`.
 *
 * @example
 * const verdict: QomEvaluation = QomProfile.builtin('qom-basic').evaluate({ schemaFidelity: 0.5 });
 * if (!verdict.meetsProfile) console.warn(verdict.failures); // [{ metric: 'schemaFidelity', actual: 0.5, threshold: 1 }]
 */
export interface QomEvaluation {
  meetsProfile: boolean;
  /** Metrics below their threshold, by this SDK's reading of the report. */
  failures: QomFailure[];
  /** Set when the reporter itself says the message fails: the failures it listed (possibly none). */
  reported?: ReportedQomFailure[];
}

/**
 * The JSON form of a profile, as in `registry/profiles/<name>.json`.
 *
 * @example
 * const json: QomProfileJSON = {
 *   name: 'team-strict',
 *   metrics: { schema_fidelity: { min: 1.0 }, groundedness: { min: 0.8, sample_rate: 0.5, required: true } },
 *   retry_policy: { max_retries: 1, degrade_to: 'qom-basic', on_failure: 'warn' },
 * };
 * const profile = QomProfile.fromJSON(json);
 */
export interface QomProfileJSON {
  name: string;
  description?: string;
  metrics: Record<string, { min: number; sample_rate?: number; required?: boolean }>;
  retry_policy?: { max_retries: number; degrade_to?: string; on_failure: string };
}

/**
 * Anything with the registry's `getProfile` (a `Registry`).
 *
 * @example
 * const profiles: Record<string, object> = { 'team-strict': { name: 'team-strict', metrics: { schema_fidelity: { min: 1 } } } };
 * const source: ProfileSource = { getProfile: async (name) => profiles[name] };
 * const profile = await QomProfile.resolve('team-strict', source); // or QomProfile.resolve(name, embeddedRegistry())
 */
export interface ProfileSource {
  /** The profile file of that name, or `undefined` when there is none. */
  getProfile(name: string): Promise<object | undefined>;
}

// Metrics the reference treats as required when absent (its `evaluate` compares them
// against 0); the others (groundedness, determinism, ontology) are skipped when absent.
const REQUIRED_BY_DEFAULT: ReadonlySet<QomMetricName> = new Set(['schemaFidelity', 'instructionCompliance', 'toolOutcomeCorrectness']);
const FAILURE_ACTIONS = ['escalate', 'error', 'warn'] as const;

/**
 * The name of one of the reference's four QoM profiles, which {@link QomProfile.builtin}
 * makes and every MPL peer knows. Where any profile name is allowed (a registry's own), it
 * is offered beside `string` so that editors still complete these.
 *
 * @example
 * const name: BuiltinQomProfileName = 'qom-strict-argcheck'; // 'qom-strict-argchek' does not compile
 */
export type BuiltinQomProfileName = 'qom-basic' | 'qom-strict-argcheck' | 'qom-outcome' | 'qom-comprehensive';

/**
 * The list of {@link QomProfile.builtinNames}: the four names, typed as such, whose
 * `includes` takes any string (a name read at run time).
 *
 * @example
 * const known = QomProfile.builtinNames.includes(process.env.MPL_QOM ?? ''); // boolean
 */
export interface BuiltinQomProfileNames extends ReadonlyArray<BuiltinQomProfileName> {
  /** Whether `name` is one of the four (a string of any value; {@link QomProfile.isBuiltin} also narrows its type). */
  includes(name: string, fromIndex?: number): boolean;
}

const BUILTIN: Record<BuiltinQomProfileName, QomProfileJSON> = {
  'qom-basic': {
    name: 'qom-basic',
    description: 'Basic validation: Schema Fidelity only',
    metrics: { schema_fidelity: { min: 1.0 } },
  },
  'qom-strict-argcheck': {
    name: 'qom-strict-argcheck',
    description: 'Strict validation: SF=1.0, IC>=0.97',
    metrics: { schema_fidelity: { min: 1.0 }, instruction_compliance: { min: 0.97 } },
    retry_policy: { max_retries: 1, degrade_to: 'qom-basic', on_failure: 'escalate' },
  },
  'qom-outcome': {
    name: 'qom-outcome',
    description: 'Outcome validation: SF=1.0, TOC>=0.9',
    metrics: { schema_fidelity: { min: 1.0 }, tool_outcome_correctness: { min: 0.9 } },
    retry_policy: { max_retries: 2, degrade_to: 'qom-basic', on_failure: 'error' },
  },
  'qom-comprehensive': {
    name: 'qom-comprehensive',
    description: 'Comprehensive validation: all metrics enforced',
    metrics: {
      schema_fidelity: { min: 1.0 },
      instruction_compliance: { min: 0.95 },
      groundedness: { min: 0.8, sample_rate: 0.5 },
      determinism_jitter: { min: 0.9, sample_rate: 0.3 },
      ontology_adherence: { min: 0.95 },
      tool_outcome_correctness: { min: 0.9 },
    },
    retry_policy: { max_retries: 2, degrade_to: 'qom-strict-argcheck', on_failure: 'escalate' },
  },
};

const camelOf = new Map<string, QomMetricName>(Object.entries(METRICS).map(([camel, snake]) => [snake, camel as QomMetricName]));

function invalid(message: string, details: Record<string, unknown>): MplError {
  return new MplError(ErrorCode.InvalidArgument, message, { details });
}

function readThreshold(profile: string, snake: string, raw: unknown): QomThreshold {
  const metric = camelOf.get(snake);
  const where = `QoM profile ${profile}: metric ${snake}`;
  if (metric === undefined) {
    throw invalid(`${where} is not a QoM metric (known: ${Object.values(METRICS).join(', ')})`, { profile, metric: snake });
  }
  if (!isJsonObject(raw)) throw invalid(`${where} must be an object like {"min": 0.9}`, { profile, metric: snake, value: raw });
  const { min, sample_rate: sampleRate = 1, required } = raw;
  if (typeof min !== 'number' || !(min >= 0 && min <= 1)) {
    throw invalid(`${where}: "min" must be a number from 0 to 1, got ${JSON.stringify(min)}`, { profile, metric: snake, min });
  }
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1)) {
    throw invalid(`${where}: "sample_rate" must be a number above 0 and at most 1, got ${JSON.stringify(sampleRate)}`, { profile, metric: snake, sampleRate });
  }
  if (required !== undefined && typeof required !== 'boolean') {
    throw invalid(`${where}: "required" must be true or false, got ${JSON.stringify(required)}`, { profile, metric: snake, required });
  }
  if (metric === 'schemaFidelity' && required === false) {
    throw invalid(`${where}: schema_fidelity is always required`, { profile, metric: snake });
  }
  const byDefault = metric === 'schemaFidelity' || (REQUIRED_BY_DEFAULT.has(metric) && sampleRate >= 1);
  return { metric, min, sampleRate, required: required ?? byDefault };
}

function readRetryPolicy(profile: string, raw: unknown): QomRetryPolicy {
  if (!isJsonObject(raw)) throw invalid(`QoM profile ${profile}: "retry_policy" must be an object`, { profile, retryPolicy: raw });
  const { max_retries: maxRetries, degrade_to: degradeTo, on_failure: onFailure } = raw;
  if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0) {
    throw invalid(`QoM profile ${profile}: "retry_policy.max_retries" must be a whole number ≥ 0, got ${JSON.stringify(maxRetries)}`, { profile, maxRetries });
  }
  if (degradeTo !== undefined && degradeTo !== null && (typeof degradeTo !== 'string' || degradeTo === '')) {
    throw invalid(`QoM profile ${profile}: "retry_policy.degrade_to" must be a profile name, got ${JSON.stringify(degradeTo)}`, { profile, degradeTo });
  }
  if (!FAILURE_ACTIONS.includes(onFailure as QomRetryPolicy['onFailure'])) {
    throw invalid(`QoM profile ${profile}: "retry_policy.on_failure" must be one of ${FAILURE_ACTIONS.join(', ')}, got ${JSON.stringify(onFailure)}`, { profile, onFailure });
  }
  return {
    maxRetries,
    ...(typeof degradeTo === 'string' ? { degradeTo } : {}),
    onFailure: onFailure as QomRetryPolicy['onFailure'],
  };
}

function checkMetricValue(metric: string, value: unknown, where: string): asserts value is number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw invalid(`${where}: metric ${metric} must be a finite number, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`, { metric, value });
  }
}

/**
 * A quality-of-meaning profile: thresholds on the six QoM metrics, and the retry policy the
 * reference attaches to it.
 *
 * Rules (those of the reference implementation):
 * - a metric below its `min` is a breach;
 * - a **required** metric that is absent is a breach counted as 0 (`actual: undefined`);
 *   an **optional** one that is absent is skipped;
 * - `schema_fidelity` is always required; `instruction_compliance` and
 *   `tool_outcome_correctness` are required unless sampled (`sample_rate` < 1);
 *   `groundedness`, `determinism_jitter` and `ontology_adherence` are optional. A profile
 *   file may say `"required": true|false` per metric to override this. So in
 *   `qom-comprehensive` SF, IC and TOC are required; groundedness (sampled 0.5),
 *   determinism (sampled 0.3) and ontology adherence are checked only when reported;
 * - a metric value that is not a finite number is bad input: `evaluate` throws an
 *   `MplError` (`E-INVALID-ARGUMENT`), `metricsFromReport` one with `E-INVALID-ENVELOPE`.
 *
 * The retry policy is exposed as `retryPolicy`; nothing in this SDK acts on it by itself.
 *
 * Imported from `mpl-sdk/qom` (`mpl-sdk` exports its type only), so the code loads only where it is used.
 *
 * @example
 * import { QomProfile } from 'mpl-sdk/qom';
 * const profile = QomProfile.builtin('qom-strict-argcheck');
 * const { meetsProfile, failures } = profile.evaluate({ schemaFidelity: 1, instructionCompliance: 0.9 });
 * // meetsProfile === false, failures[0] = { metric: 'instructionCompliance', actual: 0.9, threshold: 0.97 }
 */
export class QomProfile {
  /** The names `builtin` knows: the four profiles of the reference. */
  static readonly builtinNames: BuiltinQomProfileNames = Object.freeze(Object.keys(BUILTIN) as BuiltinQomProfileName[]);

  /**
   * Whether `name` is one of the reference's profiles (then {@link QomProfile.builtin} takes it).
   *
   * @example
   * const name = process.env.MPL_QOM ?? 'qom-basic';
   * const profile = QomProfile.isBuiltin(name) ? QomProfile.builtin(name) : await QomProfile.resolve(name, registry);
   */
  static isBuiltin(name: string): name is BuiltinQomProfileName {
    return Object.hasOwn(BUILTIN, name);
  }

  readonly name: string;
  readonly description: string;
  /** The checked metrics, in evaluation order. */
  readonly thresholds: readonly QomThreshold[];
  /** What the reference does after a breach; `undefined` when the profile has none. */
  readonly retryPolicy: QomRetryPolicy | undefined;

  private constructor(name: string, description: string, thresholds: QomThreshold[], retryPolicy: QomRetryPolicy | undefined) {
    this.name = name;
    this.description = description;
    this.thresholds = Object.freeze(thresholds);
    this.retryPolicy = retryPolicy === undefined ? undefined : Object.freeze(retryPolicy);
    Object.freeze(this);
  }

  /**
   * One of the reference's profiles: `qom-basic`, `qom-strict-argcheck`, `qom-outcome`,
   * `qom-comprehensive`; the compiler refuses any other name (a name known only at run time
   * goes through {@link QomProfile.isBuiltin} or {@link QomProfile.resolve}). Throws `MplError`
   * (`E-INVALID-ARGUMENT`) for any other name JavaScript passes.
   *
   * @example
   * const basic = QomProfile.builtin('qom-basic');
   */
  static builtin(name: BuiltinQomProfileName): QomProfile {
    const json = QomProfile.isBuiltin(name) ? BUILTIN[name] : undefined;
    if (json === undefined) {
      throw invalid(`Unknown built-in QoM profile ${JSON.stringify(name)} (known: ${QomProfile.builtinNames.join(', ')})`, { profile: name });
    }
    return QomProfile.fromJSON(json);
  }

  /**
   * Reads a profile file of the registry (`registry/profiles/<name>.json`), as an object or
   * JSON text. Malformed input throws `MplError` (`E-INVALID-ARGUMENT`) naming the field.
   *
   * @example
   * const profile = QomProfile.fromJSON({
   *   name: 'qom-strict-argcheck',
   *   metrics: { schema_fidelity: { min: 1.0 }, instruction_compliance: { min: 0.97, sample_rate: 1.0 } },
   *   retry_policy: { max_retries: 1, degrade_to: 'qom-basic', on_failure: 'escalate' },
   * });
   */
  static fromJSON(json: unknown): QomProfile {
    let obj = json;
    if (typeof json === 'string') {
      try {
        obj = JSON.parse(json);
      } catch (cause) {
        throw new MplError(ErrorCode.InvalidArgument, `QoM profile is not valid JSON: ${(cause as Error).message}`, { cause });
      }
    }
    if (!isJsonObject(obj)) throw invalid('A QoM profile must be an object with "name" and "metrics"', { value: obj });
    const { name, description, metrics, retry_policy: retryPolicy } = obj;
    if (typeof name !== 'string' || name === '') throw invalid(`A QoM profile needs a "name" (a non-empty string), got ${JSON.stringify(name)}`, { name });
    if (description !== undefined && typeof description !== 'string') {
      throw invalid(`QoM profile ${name}: "description" must be a string`, { profile: name, description });
    }
    if (!isJsonObject(metrics) || Object.keys(metrics).length === 0) {
      throw invalid(`QoM profile ${name}: "metrics" must be an object with at least one metric, like {"schema_fidelity": {"min": 1.0}}`, { profile: name, metrics });
    }
    const thresholds = Object.entries(metrics).map(([snake, raw]) => readThreshold(name, snake, raw));
    const order = Object.keys(METRICS);
    thresholds.sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric));
    const policy = retryPolicy === undefined || retryPolicy === null ? undefined : readRetryPolicy(name, retryPolicy);
    return new QomProfile(name, description ?? '', thresholds, policy);
  }

  /**
   * The profile called `name`: the registry's profile file when `source` has one, else the
   * built-in profile of that name. Throws `MplError` when neither exists or the file is malformed.
   *
   * @example
   * const selected = session.capabilities?.selectedProfile; // after connect(): the negotiated profile, or null
   * const profile = selected ? await QomProfile.resolve(selected, embeddedRegistry()) : undefined;
   */
  static async resolve(name: BuiltinQomProfileName | (string & {}), source?: ProfileSource): Promise<QomProfile> {
    const json = source === undefined ? undefined : await source.getProfile(name);
    if (json === undefined) return QomProfile.builtin(name as BuiltinQomProfileName); // any other name is refused there
    const profile = QomProfile.fromJSON(json);
    if (profile.name !== name) {
      throw invalid(`The registry's profile file for ${name} is named ${profile.name}`, { profile: name, fileName: profile.name });
    }
    return profile;
  }

  /**
   * Checks metric values (camelCase keys, 0..1) against the thresholds.
   *
   * @example
   * QomProfile.builtin('qom-outcome').evaluate({ schemaFidelity: 1 });
   * // { meetsProfile: false, failures: [{ metric: 'toolOutcomeCorrectness', actual: undefined, threshold: 0.9 }] }
   */
  evaluate(metrics: QomMetrics): QomEvaluation {
    if (!isJsonObject(metrics)) throw invalid('QoM metrics must be an object like { schemaFidelity: 1 }', { value: metrics });
    const failures: QomFailure[] = [];
    for (const { metric, min, required } of this.thresholds) {
      const actual: unknown = metrics[metric];
      checkMetricValue(metric, actual, `QoM profile ${this.name}`);
      if (actual === undefined ? required && min > 0 : actual < min) failures.push({ metric, actual, threshold: min });
    }
    return { meetsProfile: failures.length === 0, failures };
  }

  /**
   * Evaluates a wire QoM report, in any layout {@link readQomReport} reads. The metrics are
   * checked against the thresholds; and when the reporter itself says the message fails
   * (`meets_profile: false`, or a `failures` list) for this profile (or for no named one),
   * that is a breach too (`reported` says what it named). A report without any metric is
   * judged by its verdict alone, but a required metric it names as `null` (not measured) is absent, a breach. A missing report (`undefined`) is not a breach.
   *
   * @example
   * const verdict = profile.evaluateReport(envelope.qomReport);
   */
  evaluateReport(report: QomReport | undefined): QomEvaluation {
    if (report === undefined) return { meetsProfile: true, failures: [] };
    const reading = readQomReport(report);
    // With no value at all, only the required metrics it names as not measured fail; the rest is its verdict's to say.
    const failures = reading.measured
      ? this.evaluate(reading.metrics).failures
      : this.thresholds.filter((t) => t.required && t.min > 0 && reading.unmeasured.includes(t.metric)).map(({ metric, min }): QomFailure => ({ metric, actual: undefined, threshold: min }));
    const aboutThis = reading.profile === undefined || reading.profile === this.name;
    if (!(aboutThis && reading.reportedBreach)) return { meetsProfile: failures.length === 0, failures };
    return { meetsProfile: false, failures, reported: reading.failures };
  }

  /**
   * Throws a `QomBreachError` (metric, expected, actual, profile) for the first metric of
   * `report` that fails this profile, or for the reporter's own verdict of a breach; does
   * nothing when it passes or when there is no report. This is what a session calls on
   * every reply that carries a `qom_report`.
   *
   * @example
   * profile.assertReport(reply.qomReport); // throws QomBreachError on a breach
   */
  assertReport(report: QomReport | undefined): void {
    const evaluation = this.evaluateReport(report);
    if (evaluation.meetsProfile) return;
    const first = evaluation.failures[0];
    if (first !== undefined) {
      throw new QomBreachError(
        { metric: first.metric, expected: first.threshold, actual: first.actual, profile: this.name },
        { details: { wireMetric: METRICS[first.metric], ...(report === undefined ? {} : { report }) } },
      );
    }
    throw peerVerdictError(evaluation.reported, this.name, report);
  }

  /**
   * The profile file form (snake_case), accepted back by `fromJSON`.
   *
   * @example
   * JSON.stringify(QomProfile.builtin('qom-basic'));
   */
  toJSON(): QomProfileJSON {
    const metrics: QomProfileJSON['metrics'] = {};
    for (const t of this.thresholds) metrics[METRICS[t.metric]] = { min: t.min, sample_rate: t.sampleRate, required: t.required };
    const policy = this.retryPolicy;
    return {
      name: this.name,
      description: this.description,
      metrics,
      ...(policy === undefined ? {} : {
        retry_policy: { max_retries: policy.maxRetries, ...(policy.degradeTo === undefined ? {} : { degrade_to: policy.degradeTo }), on_failure: policy.onFailure },
      }),
    };
  }
}
keepName(QomProfile, 'QomProfile');

/** The breach a reporter itself declares (its listed failures, or `meets_profile: false`), for `profile`. */
function peerVerdictError(reported: readonly ReportedQomFailure[] | undefined, profile: string, report: QomReport | undefined): QomBreachError {
  const said = reported?.[0];
  const what = said ? `${said.metric} is ${said.actual ?? 'absent'}${said.threshold === undefined ? '' : `, needs ≥ ${said.threshold}`}` : 'meets_profile is false';
  return new QomBreachError(
    { metric: said?.metric ?? 'meets_profile', expected: said?.threshold ?? Number.NaN, actual: said?.actual, profile, message: `QoM profile ${profile} breached, as the reporter itself says: ${what}` },
    { details: { reportedBy: 'peer', ...(report === undefined ? {} : { report }) } },
  );
}

/**
 * Throws the `QomBreachError` of a report whose reporter itself declares a breach
 * (`meets_profile: false`, or failures listed), when no profile is there to judge its
 * metrics (none negotiated, or one unknown here). `profile` names the one in play, if
 * any; else the report's own, else `'unknown'`. A report that declares nothing passes.
 *
 * @example
 * assertNoReportedBreach({ meets_profile: false, failures: [{ metric: 'instruction_compliance', actual: 0.5, threshold: 0.97 }] }); // throws
 */
export function assertNoReportedBreach(report: QomReport | undefined, profile?: string): void {
  if (report === undefined) return;
  const reading = readQomReport(report);
  if (reading.reportedBreach) throw peerVerdictError(reading.failures, profile ?? reading.profile ?? 'unknown', report);
}

/**
 * A failure the reporter itself lists in its report (`failures: [{metric, actual, threshold}]`).
 * `metric` is camelCase when it is one of the six QoM metrics, else as the reporter spelled it.
 *
 * @example
 * const reading = readQomReport({ meets_profile: false, failures: [{ metric: 'instruction_compliance', actual: 0.6, threshold: 0.97 }] });
 * reading.failures[0]; // { metric: 'instructionCompliance', actual: 0.6, threshold: 0.97 }
 */
export interface ReportedQomFailure {
  metric: string;
  actual: number | undefined;
  threshold: number | undefined;
}

/**
 * What a wire QoM report says, whatever its layout: its metrics (camelCase), whether it
 * carried any, and the reporter's own verdict.
 *
 * @example
 * const { metrics, meetsProfile } = readQomReport({ schemaFidelity: { score: 1 }, meetsProfile: true });
 * readQomReport({ failures: [{ metric: 'groundedness', actual: 0.5, threshold: 0.8 }] }).reportedBreach; // true
 */
export interface QomReportReading {
  metrics: QomMetrics;
  /** False when the report gives no value for any metric this SDK knows: then only its verdict, and `unmeasured`, can be judged. */
  measured: boolean;
  /** The metrics the report names as `null` (not measured): absent, so a required one is a breach, whether or not others have values. */
  unmeasured: QomMetricName[];
  /** `meets_profile` / `meetsProfile` as the reporter said it; `undefined` when it did not. */
  meetsProfile: boolean | undefined;
  /** The failures the reporter listed. */
  failures: ReportedQomFailure[];
  /** Whether the reporter itself says the message fails: `meets_profile: false`, or a failure listed. */
  reportedBreach: boolean;
  /** The profile the reporter evaluated against, when it named one. */
  profile: string | undefined;
}

// A report may name a metric either way: `schema_fidelity` or `schemaFidelity`.
const metricOfReport = new Map<string, QomMetricName>([...camelOf, ...Object.keys(METRICS).map((camel) => [camel, camel as QomMetricName] as const)]);
const metricNamed = (name: string): QomMetricName | undefined => metricOfReport.get(name);

function badReport(message: string, details: Record<string, unknown>): MplError {
  return new MplError(ErrorCode.InvalidEnvelope, message, { details });
}

/** A metric value: a number, `{"score": n, …}`, or null (absent). */
function metricValue(name: string, value: unknown, report: unknown): number | undefined {
  const score = isJsonObject(value) && 'score' in value ? value['score'] : value;
  if (score === null || score === undefined) return undefined;
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    throw badReport(`QoM report: metric ${name} must be a number or {"score": number}, got ${JSON.stringify(value)}`, { metric: name, value, report });
  }
  return score;
}

/**
 * Reads a wire QoM report in any layout MPL peers use: the core's
 * `{"meets_profile","profile","metrics":{"schema_fidelity":1.0}}`, the same metrics flat at
 * the top level, camelCase names (`schemaFidelity`, `meetsProfile`), metrics as
 * `{"score":0.98,"details":…}`, `failures:[{metric,actual,threshold}]`; other members are
 * ignored. A known metric whose value is not a number throws `MplError`
 * (`E-INVALID-ENVELOPE`): a layout that cannot be read is never taken for a breach.
 *
 * @example
 * import { readQomReport } from 'mpl-sdk/qom';
 * readQomReport({ profile: 'qom-basic', meets_profile: true, metrics: { schema_fidelity: 1 } });
 * // { metrics: { schemaFidelity: 1 }, measured: true, unmeasured: [], meetsProfile: true, failures: [], reportedBreach: false, profile: 'qom-basic' }
 */
export function readQomReport(report: QomReport): QomReportReading {
  if (!isJsonObject(report)) {
    throw badReport('A QoM report must be an object like {"metrics": {"schema_fidelity": 1.0}}', { report });
  }
  const nested = report['metrics'];
  if (nested !== undefined && nested !== null && !isJsonObject(nested)) {
    throw badReport(`A QoM report's "metrics" must be an object, got ${JSON.stringify(nested)}`, { report });
  }
  const metrics: QomMetrics = {};
  const unmeasured = new Set<QomMetricName>();
  // A metric named twice (flat and in `metrics`, or in two spellings) counts at its lowest:
  // one spelling's 1 never hides another's 0.2.
  for (const source of [report, nested ?? {}]) {
    for (const [name, value] of Object.entries(source)) {
      const metric = metricNamed(name);
      if (metric === undefined) continue;
      const read = metricValue(name, value, report);
      if (read !== undefined) metrics[metric] = Math.min(read, metrics[metric] ?? read);
      else unmeasured.add(metric);
    }
  }
  const verdict = report['meets_profile'] ?? report['meetsProfile'];
  const listed = Array.isArray(report['failures']) ? report['failures'] : [];
  const failures = listed.filter(isJsonObject).map((f): ReportedQomFailure => {
    const name = String(f['metric'] ?? 'unknown');
    const actual = f['actual'];
    const threshold = f['threshold'] ?? f['required'] ?? f['expected'];
    return { metric: metricNamed(name) ?? name, actual: typeof actual === 'number' ? actual : undefined, threshold: typeof threshold === 'number' ? threshold : undefined };
  });
  const profile = report['profile'];
  const meetsProfile = typeof verdict === 'boolean' ? verdict : undefined;
  return {
    metrics,
    measured: Object.keys(metrics).length > 0,
    unmeasured: [...unmeasured].filter((metric) => metrics[metric] === undefined),
    meetsProfile,
    failures,
    reportedBreach: declaresBreach(report),
    profile: typeof profile === 'string' ? profile : undefined,
  };
}

/**
 * Reads the metrics of a wire QoM report, in any layout {@link readQomReport} reads, into
 * camelCase keys. Metrics this SDK does not know are left out (they stay in the report);
 * a known metric whose value is not a finite number throws `MplError` (`E-INVALID-ENVELOPE`).
 *
 * @example
 * import { metricsFromReport } from 'mpl-sdk/qom';
 * metricsFromReport({ metrics: { schema_fidelity: 1, instruction_compliance: { score: 0.98 } } });
 * // { schemaFidelity: 1, instructionCompliance: 0.98 }
 */
export function metricsFromReport(report: QomReport): QomMetrics {
  return readQomReport(report).metrics;
}
