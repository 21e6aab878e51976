import type { Core } from './core.ts';
import { MplEnvelope, SchemaFidelityError, SType, UnknownStypeError, semanticHash } from './sdk.ts';

/**
 * A hashed envelope the server pushes, checked first: its SType must be served and its
 * payload valid (`E-UNKNOWN-STYPE`, `E-SCHEMA-FIDELITY`), so a push never carries what
 * the server would refuse itself. Each session adds its own profile as it sends it.
 */
export async function pushEnvelope(core: Core, stype: string, payload: unknown): Promise<MplEnvelope> {
  const id = SType.parse(stype).id;
  if (!core.served.has(id)) throw new UnknownStypeError(id, undefined, { message: `Cannot push ${id}: this server does not serve it` });
  const issues = await core.validator.validate(id, payload);
  if (issues.length) {
    // The class a client's own refusal has: `validationErrors` (and `details.issues`, as before).
    throw new SchemaFidelityError(id, issues, { message: `Cannot push ${id}: the payload is not valid under its schema (${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')})`, details: { issues } });
  }
  const semHash = await semanticHash(payload);
  return MplEnvelope.create(id, payload, { semHash, provenance: { intent: `push ${id}`, agent: core.name } });
}
