import { MplEnvelope, SType, loadHasher, type HashLayout, type SchemaValidator, type ValidationIssue } from './sdk.ts';

/** What the server found when it checked a message. */
export interface Inspection {
  /** The envelope, when the message could be read as one. */
  envelope: MplEnvelope | undefined;
  schemaValid: boolean;
  /** `undefined` when no `sem_hash` was sent. */
  hashOk: boolean | undefined;
  /** Every problem, in the proxy's words (`Schema error at /start: …`). */
  errors: string[];
  /** The wire code a blocking reply carries. */
  code: 'E-SCHEMA-FIDELITY' | 'E-UNKNOWN-STYPE';
}

/** The longest text of a peer's own that the server repeats back in an error. */
const ECHO_LIMIT = 200;
/** Cuts a string the peer sent to a length safe to repeat. */
export const clip = (text: string): string => (text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text);

/** What the checks need: the schemas, the STypes served, the hash layouts accepted, how issues are written. */
export interface Checks {
  readonly validator: SchemaValidator;
  readonly served: ReadonlySet<string>;
  readonly hashLayout: HashLayout | 'either';
  readonly schemaDetails: 'proxy' | 'pointer';
}

/** A schema issue as the proxy writes it (`Schema error at /start: …`), or as a bare pointer (`/start: …`). */
const schemaDetail = (style: Checks['schemaDetails'], issue: ValidationIssue): string =>
  `${style === 'proxy' ? 'Schema error at ' : ''}${issue.path}: ${clip(issue.message)}`;

/** True when an envelope passed every check: readable, valid under its schema, its hash (if any) matching. */
export const passed = (inspection: Inspection): boolean =>
  inspection.envelope !== undefined && inspection.schemaValid && inspection.hashOk !== false;

/** True when a parsed JSON value is an attempt at an envelope: an object with `stype` and `payload`. */
export function looksLikeEnvelope(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'stype' in value && 'payload' in value;
}

/**
 * The envelope an A2A message wraps (`{"mpl_envelope": {…}}`, upstream's MPL-with-A2A guide):
 * the inner envelope, when the value is such a wrapper and no envelope itself.
 */
export function wrappedEnvelope(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || looksLikeEnvelope(value)) return undefined;
  const inner = (value as Record<string, unknown>)['mpl_envelope'];
  return looksLikeEnvelope(inner) ? inner : undefined;
}

/** A reply's text wrapped as its request was (`{"mpl_envelope": …}`), for a peer that reads A2A's wrapper. */
export const wrapReply = (text: string): string => `{"mpl_envelope":${text}}`;

type PayloadCheck = Pick<Inspection, 'schemaValid' | 'errors' | 'code'>;

/**
 * The issues of `payload` under the schema of `stype`: at once when its schema is compiled
 * and what judges the payload has loaded (every valid payload, once warm), else once
 * `validate` has loaded them. (`validateNow` is the SDK's own synchronous path, the one its
 * Session takes: no promise and no turn of the microtask queue per check.)
 */
export const schemaIssues = (validator: SchemaValidator, stype: string, payload: unknown): ValidationIssue[] | Promise<ValidationIssue[]> =>
  validator.validateNow(stype, payload) ?? validator.validate(stype, payload);

/**
 * Validates `payload` as `stype` against the server's schemas: at once when its schema's
 * check can answer (see {@link schemaIssues}), else a promise.
 */
export function inspectPayload(checks: Checks, stype: unknown, payload: unknown): PayloadCheck | Promise<PayloadCheck> {
  let id: string;
  try {
    id = SType.parse(stype as string).id;
  } catch {
    return { schemaValid: false, errors: [`stype: ${JSON.stringify(clip(String(stype)))} is not a valid SType`], code: 'E-UNKNOWN-STYPE' };
  }
  if (!checks.served.has(id)) return { schemaValid: false, errors: [`stype: no schema for ${id} on this server`], code: 'E-UNKNOWN-STYPE' };
  const issues = schemaIssues(checks.validator, id, payload);
  return Array.isArray(issues) ? payloadCheck(checks, issues) : issues.then((found) => payloadCheck(checks, found));
}

const payloadCheck = (checks: Checks, issues: ValidationIssue[]): PayloadCheck =>
  ({ schemaValid: issues.length === 0, errors: issues.map((issue) => schemaDetail(checks.schemaDetails, issue)), code: 'E-SCHEMA-FIDELITY' });

/**
 * Checks an envelope the way the proxy does: readable, payload valid against its SType's
 * schema, and, when `sem_hash` is present, the hash recomputed from the payload.
 */
export async function inspectEnvelope(checks: Checks, wire: Record<string, unknown>): Promise<Inspection> {
  let envelope: MplEnvelope;
  try {
    envelope = MplEnvelope.fromWire(wire);
  } catch (error) {
    const problems = ((error as { details?: { problems?: unknown } }).details?.problems ?? [(error as Error).message]) as string[];
    const unknownStype = typeof wire['stype'] !== 'string' || !SType.isValid(wire['stype']);
    return { envelope: undefined, schemaValid: false, hashOk: undefined, errors: problems.map((p) => `envelope: ${clip(p)}`), code: unknownStype ? 'E-UNKNOWN-STYPE' : 'E-SCHEMA-FIDELITY' };
  }
  const inspected = inspectPayload(checks, envelope.stype, envelope.payload);
  const checked = inspected instanceof Promise ? await inspected : inspected;
  let hashOk: boolean | undefined;
  const errors = [...checked.errors];
  if (envelope.semHash !== undefined) {
    const hasher = await loadHasher();
    let verdict: boolean | Error;
    try {
      verdict = hasher.verify(envelope.payload, envelope.semHash, { hashLayout: checks.hashLayout });
    } catch (error) {
      verdict = error as Error;
    }
    hashOk = verdict === true;
    if (verdict instanceof Error) errors.push(`sem_hash: the payload has no canonical form (${clip(verdict.message)})`);
    else if (!verdict) errors.push(`sem_hash: mismatch (envelope says ${clip(envelope.semHash)}, payload hashes to ${hasher.hash(envelope.payload)})`);
  }
  return { envelope, schemaValid: checked.schemaValid, hashOk, errors, code: checked.code };
}
