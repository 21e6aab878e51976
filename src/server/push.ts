import type { Core } from './core.ts';
import { MplEnvelope, MplError, SType, semanticHash } from './sdk.ts';

/**
 * A hashed envelope the server pushes, checked first: its SType must be served and its
 * payload valid (`E-UNKNOWN-STYPE`, `E-SCHEMA-FIDELITY`), so a push never carries what
 * the server would refuse itself. Each session adds its own profile as it sends it.
 */
export async function pushEnvelope(core: Core, stype: string, payload: unknown): Promise<MplEnvelope> {
  const id = SType.parse(stype).id;
  if (!core.served.has(id)) throw new MplError('E-UNKNOWN-STYPE', `Cannot push ${id}: this server has no schema for it`, { details: { stype: id } });
  const issues = await core.validator.validate(id, payload);
  if (issues.length) {
    throw new MplError('E-SCHEMA-FIDELITY', `Cannot push ${id}: the payload is not valid under its schema`, { details: { stype: id, issues } });
  }
  const semHash = await semanticHash(payload);
  return MplEnvelope.create(id, payload, { semHash, provenance: { intent: `push ${id}`, agent: core.name } });
}
