import { ErrorCode } from '../errors/codes.ts';
import { HashMismatchError } from '../errors/hash-mismatch-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { SchemaFidelityError } from '../errors/schema-fidelity-error.ts';
import { layoutOf, type HashLayout } from '../hashing/hash-layout.ts';
import { loadHasher, loadedHasher, type SemanticHasher } from '../hashing/semantic-hasher.ts';
import type { MplEnvelope } from '../protocol/envelope.ts';
import { loadQom } from '../protocol/load-qom.ts';
import type { QomProfile } from '../protocol/qom.ts';
import { declaresBreach } from '../protocol/qom-verdict.ts';
import type { QomReport } from '../protocol/types.ts';
import { SType } from '../protocol/stype.ts';
import { resolveRegistry, SchemaValidator, type Registry } from '../registry/index.ts';
import { prefetchChecks } from '../registry/prefetch-checks.ts';

/** Work that is done at once (`undefined`) or later (a promise): the checks are synchronous once their schema, hasher and profile are loaded. */
export type Later<T = void> = Promise<T> | undefined;

/** The negotiated profile, resolved once per name; `loaded` is set when `settled`. */
interface QomState {
  name: string;
  profile: Promise<QomProfile | undefined>;
  loaded?: QomProfile | undefined;
  settled: boolean;
}

/**
 * A report by its reporter's own verdict alone, for want of a profile to judge its metrics
 * (`profile` names the one in play, if any). QoM evaluation loads only for a report that
 * declares a breach: a page whose replies pass never downloads it.
 */
function judgeByVerdict(report: QomReport, profile?: string): Later {
  return declaresBreach(report) ? loadQom().then(({ assertNoReportedBreach }) => assertNoReportedBreach(report, profile)) : undefined;
}

/** A report against the resolved profile, or by its reporter's own verdict when the profile is unknown here. */
function judge(qom: QomState, report: QomReport): Later {
  if (!qom.loaded) return judgeByVerdict(report, qom.name);
  qom.loaded.assertReport(report);
  return undefined;
}

/** Where the checks find schemas and profiles, and the layout hashes are written in. */
interface ChecksSource {
  registry?: Registry | undefined;
  registryPath?: string | undefined;
  hashLayout?: HashLayout | undefined;
}

/**
 * What a session checks on the envelopes it sends and receives: schemas (from the
 * registry, loaded on first use), semantic hashes, QoM reports against a profile.
 * Each check runs synchronously (returning `undefined`) once what it needs is loaded,
 * and returns a promise before that; a failure is thrown either way.
 */
export class EnvelopeChecks {
  readonly #source: ChecksSource;
  readonly #hashOptions: { hashLayout: HashLayout };
  readonly #onUnknownProfile: (error: MplError) => void;
  #registry: Registry | undefined;
  #validator: SchemaValidator | undefined;
  #qom: QomState | undefined;

  constructor(source: ChecksSource, onUnknownProfile: (error: MplError) => void) {
    this.#source = source;
    this.#hashOptions = { hashLayout: layoutOf(source, 'Session config') };
    this.#onUnknownProfile = onUnknownProfile;
  }

  /** Starts loading what the first checked send needs, all at once (see `prefetchChecks`). */
  prefetch(validate: boolean, hash: boolean): void {
    let registry: Registry | undefined;
    try {
      if (validate) registry = this.#getRegistry();
    } catch {
      // A registry that cannot be made: the first check that needs it throws this, as before.
    }
    prefetchChecks(validate, hash, registry);
  }

  /**
   * Validates a payload. `required`: a missing schema is an error (`UnknownStypeError`);
   * otherwise an SType without a schema is not checked.
   */
  validate(stype: string, payload: unknown, required: boolean): Later {
    const validator = this.#getValidator();
    // A compiled schema means the registry has one: checked here and now.
    const issues = validator.validateNow(stype, payload);
    if (issues === undefined) return this.#validateLater(validator, stype, payload, required);
    if (issues.length > 0) throw new SchemaFidelityError(SType.parse(stype).id, issues);
    return undefined;
  }

  async #validateLater(validator: SchemaValidator, stype: string, payload: unknown, required: boolean): Promise<void> {
    if (required || (await validator.hasSchema(stype))) await validator.assertValid(stype, payload);
  }

  /** The semantic hash of a payload in the session's layout: a string once the hasher is loaded, a promise of it before. */
  hash(payload: unknown): string | Promise<string> {
    const loaded = loadedHasher();
    return loaded ? loaded.hash(payload, this.#hashOptions) : loadHasher().then((h) => h.hash(payload, this.#hashOptions));
  }

  /**
   * Throws `HashMismatchError` when the envelope carries a `sem_hash` its payload does not
   * have in either layout (a peer built with an older serde_json is honest too).
   */
  verifyHash(envelope: MplEnvelope): Later {
    if (envelope.semHash === undefined) return undefined;
    const loaded = loadedHasher();
    const { semHash } = envelope;
    return loaded ? this.#checkHash(loaded, envelope, semHash) : loadHasher().then((h) => this.#checkHash(h, envelope, semHash));
  }

  #checkHash(hasher: SemanticHasher, envelope: MplEnvelope, semHash: string): undefined {
    // `verify` hashes in the current layout first: one hash in the usual case, the legacy layout only when it differs.
    if (hasher.verify(envelope.payload, semHash)) return undefined;
    throw new HashMismatchError({ expected: semHash, actual: hasher.hash(envelope.payload, this.#hashOptions), stype: envelope.stype });
  }

  /**
   * A reply's checks in order: its hash, then its schema (if `validate`), then its QoM
   * report against `profile`, each after the one before has finished (at once while they
   * are synchronous).
   */
  checkReply(envelope: MplEnvelope, validate: boolean, profile: string | null | undefined): Later {
    const hashed = this.verifyHash(envelope);
    return hashed ? hashed.then(() => this.#checkReplyPayload(envelope, validate, profile)) : this.#checkReplyPayload(envelope, validate, profile);
  }

  #checkReplyPayload(envelope: MplEnvelope, validate: boolean, profile: string | null | undefined): Later {
    const validated = validate ? this.validate(envelope.stype, envelope.payload, false) : undefined;
    return validated ? validated.then(() => this.checkQom(envelope, profile)) : this.checkQom(envelope, profile);
  }

  /**
   * Throws `QomBreachError` when the envelope's QoM report fails the profile. No report is
   * no breach. Without a profile to judge its metrics (none in play, or one known neither
   * to the registry nor built in, which is reported once), the reporter's own verdict
   * still counts: a report that declares a breach is one. QoM evaluation loads with the
   * first report to check: if it cannot, that reply fails with `E-MODULE-LOAD` and the
   * next report tries again.
   */
  checkQom(envelope: MplEnvelope, profileName: string | null | undefined): Later {
    const report = envelope.qomReport;
    if (report === undefined) return undefined;
    if (!profileName) return judgeByVerdict(report);
    const qom = this.#qom?.name === profileName ? this.#qom : (this.#qom = this.#resolveProfile(profileName));
    if (!qom.settled) return qom.profile.then(() => judge(qom, report));
    return judge(qom, report);
  }

  /** Loads QoM evaluation and resolves the profile `name`; a failed load leaves no state behind. */
  #resolveProfile(name: string): QomState {
    const qom: QomState = { name, profile: Promise.resolve(undefined), settled: false };
    const settle = (profile: QomProfile | undefined): QomProfile | undefined => {
      qom.loaded = profile;
      qom.settled = true;
      return profile;
    };
    qom.profile = loadQom().then(
      // A registry that cannot be made (it throws) is reported like an unknown profile, not left as a rejection every later report meets.
      ({ QomProfile }) => Promise.resolve().then(() => QomProfile.resolve(name, this.#getRegistry())).catch((error: unknown) => {
        this.#onUnknownProfile(new MplError(ErrorCode.InvalidArgument, `The negotiated QoM profile ${name} is unknown here, so replies' QoM reports are judged only by their reporter's own verdict: ${(error as Error).message}`, { cause: error }));
        return undefined;
      }).then(settle),
      (loadError: unknown) => {
        if (this.#qom === qom) this.#qom = undefined; // not a verdict on the profile: the next report loads again
        throw loadError;
      },
    );
    return qom;
  }

  #getRegistry(): Registry {
    const { registry, registryPath } = this.#source;
    return (this.#registry ??= resolveRegistry({ ...(registry ? { registry } : {}), ...(registryPath ? { registryPath } : {}) }));
  }

  #getValidator(): SchemaValidator {
    return (this.#validator ??= new SchemaValidator(this.#getRegistry()));
  }
}
