import { ErrorCode } from '../errors/codes.ts';
import { HashMismatchError } from '../errors/hash-mismatch-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { semanticHash, verifyHash } from '../hashing/index.ts';
import type { MplEnvelope } from '../protocol/envelope.ts';
import { QomProfile } from '../protocol/qom.ts';
import { resolveRegistry, SchemaValidator, type Registry } from '../registry/index.ts';

/**
 * What a session checks on the envelopes it sends and receives: schemas (from the
 * registry, loaded on first use), semantic hashes, QoM reports against a profile.
 */
export class EnvelopeChecks {
  readonly #source: { registry?: Registry | undefined; registryPath?: string | undefined };
  readonly #onUnknownProfile: (error: MplError) => void;
  #registry: Registry | undefined;
  #validator: SchemaValidator | undefined;
  #qom: { name: string; profile: Promise<QomProfile | undefined> } | undefined;

  constructor(source: { registry?: Registry | undefined; registryPath?: string | undefined }, onUnknownProfile: (error: MplError) => void) {
    this.#source = source;
    this.#onUnknownProfile = onUnknownProfile;
  }

  /**
   * Validates a payload. `required`: a missing schema is an error (`UnknownStypeError`);
   * otherwise an SType without a schema is not checked.
   */
  async validate(stype: string, payload: unknown, required: boolean): Promise<void> {
    const validator = this.#getValidator();
    if (required || (await validator.hasSchema(stype))) await validator.assertValid(stype, payload);
  }

  /** Throws `HashMismatchError` when the envelope carries a `sem_hash` its payload does not have. */
  async verifyHash(envelope: MplEnvelope): Promise<void> {
    if (envelope.semHash === undefined || (await verifyHash(envelope.payload, envelope.semHash))) return;
    throw new HashMismatchError({ expected: envelope.semHash, actual: await semanticHash(envelope.payload), stype: envelope.stype });
  }

  /**
   * Throws `QomBreachError` when the envelope's QoM report fails the profile. No report is
   * no breach; a profile known neither to the registry nor built in is reported once and
   * not enforced.
   */
  async checkQom(envelope: MplEnvelope, profileName: string | null | undefined): Promise<void> {
    if (!profileName || envelope.qomReport === undefined) return;
    if (this.#qom?.name !== profileName) {
      const profile = QomProfile.resolve(profileName, this.#getRegistry()).catch((error: unknown) => {
        this.#onUnknownProfile(new MplError(ErrorCode.InvalidArgument, `The negotiated QoM profile ${profileName} is unknown here, so replies' QoM reports are not checked: ${(error as Error).message}`, { cause: error }));
        return undefined;
      });
      this.#qom = { name: profileName, profile };
    }
    (await this.#qom.profile)?.assertReport(envelope.qomReport);
  }

  #getRegistry(): Registry {
    const { registry, registryPath } = this.#source;
    return (this.#registry ??= resolveRegistry({ ...(registry ? { registry } : {}), ...(registryPath ? { registryPath } : {}) }));
  }

  #getValidator(): SchemaValidator {
    return (this.#validator ??= new SchemaValidator(this.#getRegistry()));
  }
}
