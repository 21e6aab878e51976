import { MplEnvelope, SType, semanticHash, type SchemaValidator } from 'mpl-sdk';

/** What the server found when it checked a message. */
export interface Inspection {
  /** The envelope, when the message could be read as one. */
  envelope: MplEnvelope | undefined;
  schemaValid: boolean;
  /** `undefined` when no `sem_hash` was sent. */
  hashOk: boolean | undefined;
  /** Every problem: `"/path: message"`, or the bare message for the payload as a whole. */
  errors: string[];
  /** The wire code a blocking reply carries. */
  code: 'E-SCHEMA-FIDELITY' | 'E-UNKNOWN-STYPE';
}

/** True when a parsed JSON value has the three members every envelope carries. */
export function looksLikeEnvelope(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && 'id' in value && 'stype' in value && 'payload' in value;
}

/** Validates `payload` as `stype` against the server's schemas. */
export async function inspectPayload(validator: SchemaValidator, serverStypes: ReadonlySet<string>, stype: string, payload: unknown): Promise<Pick<Inspection, 'schemaValid' | 'errors' | 'code'>> {
  let id: string;
  try {
    id = SType.parse(stype).id;
  } catch (error) {
    return { schemaValid: false, errors: [`stype: ${(error as Error).message}`], code: 'E-UNKNOWN-STYPE' };
  }
  if (!serverStypes.has(id) || !(await validator.hasSchema(id))) {
    return { schemaValid: false, errors: [`stype: no schema for ${id} on this server`], code: 'E-UNKNOWN-STYPE' };
  }
  const issues = await validator.validate(id, payload);
  return { schemaValid: issues.length === 0, errors: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)), code: 'E-SCHEMA-FIDELITY' };
}

/**
 * Checks an envelope the way the proxy does: readable, payload valid against its SType's
 * schema, and, when `sem_hash` is present, the hash recomputed from the payload.
 */
export async function inspectEnvelope(validator: SchemaValidator, serverStypes: ReadonlySet<string>, wire: unknown): Promise<Inspection> {
  let envelope: MplEnvelope;
  try {
    envelope = MplEnvelope.fromWire(wire);
  } catch (error) {
    const problems = ((error as { details?: { problems?: unknown } }).details?.problems ?? [(error as Error).message]) as string[];
    return { envelope: undefined, schemaValid: false, hashOk: undefined, errors: problems.map((p) => `envelope: ${p}`), code: 'E-SCHEMA-FIDELITY' };
  }
  const payloadCheck = await inspectPayload(validator, serverStypes, envelope.stype, envelope.payload);
  let hashOk: boolean | undefined;
  const errors = [...payloadCheck.errors];
  if (envelope.semHash !== undefined) {
    const actual = await semanticHash(envelope.payload).catch((error: Error) => error);
    hashOk = actual === envelope.semHash;
    if (actual instanceof Error) errors.push(`sem_hash: the payload has no canonical form (${actual.message})`);
    else if (!hashOk) errors.push(`sem_hash: mismatch (envelope says ${envelope.semHash}, payload hashes to ${actual})`);
  }
  return { envelope, schemaValid: payloadCheck.schemaValid, hashOk, errors, code: payloadCheck.code };
}
