import { MplEnvelope, QomProfile, SchemaValidator, UnknownStypeError, embeddedRegistry, semanticHash, type AlpnError, type AlpnSelect, type Registry } from 'mpl-sdk';
import { AGENT_ID, answerFor, failureFor } from './answers.ts';
import { inspectEnvelope, inspectPayload, type Inspection } from './inspect.ts';
import { negotiate, readHello, type NegotiationPolicy } from './negotiate.ts';
import type { PushedMessage, RecordedMessage, ReferenceServerOptions } from './options.ts';
import { measure, qomReport } from './qom.ts';

/** The reference proxy's version, reported by /health and /capabilities. */
const SERVER_VERSION = '0.1.2';

/** The four profiles of the reference. */
const REFERENCE_PROFILES = ['qom-basic', 'qom-strict-argcheck', 'qom-outcome', 'qom-comprehensive'];

/** The reply to one envelope, and whether it was refused. */
export interface EnvelopeOutcome {
  /** Readable, valid under its SType's schema, and its hash (if any) matches. */
  valid: boolean;
  blocked: boolean;
  inspection: Inspection;
  /** What goes back on the wire: an error body, an id-less `mpl-response`, or an envelope. */
  reply: Record<string, unknown>;
  /** The reply's SType, profile, hash and QoM verdict, for the X-MPL-* headers. */
  meta: { stype: string; profile: string | undefined; semHash: string | undefined; qomPassed: boolean };
}

/** Everything the server knows and does, apart from its sockets. */
export class ReferencePeer {
  readonly recorded: RecordedMessage[] = [];
  readonly pushed: PushedMessage[] = [];
  readonly mode: 'development' | 'production';
  readonly replies: 'in-reply-to' | 'id-less';
  readonly stypes: readonly string[];
  readonly profiles: ReadonlyMap<string, QomProfile>;
  readonly validator: SchemaValidator;
  private readonly known: ReadonlySet<string>;
  private readonly policy: NegotiationPolicy;

  private constructor(options: ReferenceServerOptions, registry: Registry, stypes: string[], profiles: Map<string, QomProfile>) {
    this.mode = options.mode ?? 'development';
    this.replies = options.replies ?? 'in-reply-to';
    this.stypes = stypes;
    this.known = new Set(stypes);
    this.profiles = profiles;
    this.validator = new SchemaValidator(registry);
    const extensions = this.replies === 'id-less' ? {} : { 'mpl.reference': { replies: 'in_reply_to', mode: this.mode, push: ['org.agent.TaskPlan.v1', 'org.agent.Heartbeat.v1'] } };
    this.policy = {
      serverStypes: stypes,
      knownProfiles: [...profiles.keys()],
      requiredProfile: options.requiredProfile,
      replyType: options.handshakeReplyType ?? 'ai-alpn-select',
      onIncompatible: options.onIncompatible ?? 'empty',
      extensions,
    };
  }

  /** Loads the SDK's embedded registry: the STypes and profiles the server knows. */
  static async create(options: ReferenceServerOptions): Promise<ReferencePeer> {
    const registry = embeddedRegistry();
    const stypes = options.stypes ?? await registry.list();
    for (const stype of stypes) {
      if (!(await registry.has(stype))) throw new UnknownStypeError(stype, registry.source);
    }
    const profiles = new Map<string, QomProfile>();
    for (const name of REFERENCE_PROFILES) profiles.set(name, await QomProfile.resolve(name, registry));
    return new ReferencePeer(options, registry, [...stypes].sort(), profiles);
  }

  /** `GET /capabilities`, shaped like the proxy's. */
  capabilities(): Record<string, unknown> {
    return {
      version: SERVER_VERSION,
      mpl_version: '1.0',
      capabilities: {
        handshake: true, schema_validation: true, semantic_hashing: true, qom_reports: true,
        strict_mode: this.mode === 'production', websocket: true, http: true, json_rpc: true,
        push: true, reply_markers: this.replies === 'in-reply-to', cors: true,
      },
      stypes: [...this.stypes],
      profiles: [...this.profiles.keys()],
      mode: this.mode,
    };
  }

  /** The handshake reply to a hello, or the reason the hello cannot be read. */
  answerHello(body: unknown): { ok: true; reply: AlpnSelect | AlpnError } | { ok: false; problem: string } {
    const hello = readHello(body);
    return hello.ok ? { ok: true, reply: negotiate(hello, this.policy) } : hello;
  }

  /** Validates an envelope (schema, hash) and builds the reply, or the blocking error. */
  async handleEnvelope(wire: unknown, fallbackProfile: string | undefined): Promise<EnvelopeOutcome> {
    const inspection = await inspectEnvelope(this.validator, this.known, wire);
    const envelope = inspection.envelope;
    const valid = envelope !== undefined && inspection.schemaValid && inspection.hashOk !== false;
    const profile = envelope?.profile ?? fallbackProfile;
    if (!envelope || (!valid && this.mode === 'production')) {
      const reply: Record<string, unknown> = { error: inspection.code, message: 'Validation failed', details: inspection.errors };
      if (envelope && this.replies === 'in-reply-to') reply['in_reply_to'] = envelope.id;
      return { valid, blocked: true, inspection, reply, meta: { stype: envelope?.stype ?? '', profile, semHash: undefined, qomPassed: false } };
    }
    const report = qomReport(profile, profile === undefined ? undefined : this.profiles.get(profile), measure({ ...inspection, handled: true }));
    if (this.replies === 'id-less') {
      const reply = {
        type: 'mpl-response',
        stype: envelope.stype,
        validation: { valid, schema_valid: inspection.schemaValid, qom_passed: report.meets_profile },
        payload: envelope.payload,
      };
      return { valid, blocked: false, inspection, reply, meta: { stype: envelope.stype, profile, semHash: undefined, qomPassed: report.meets_profile } };
    }
    const answer = valid ? answerFor(envelope.stype, envelope.payload) : failureFor(envelope.id, inspection.errors);
    const semHash = await semanticHash(answer.payload);
    const fields = {
      inReplyTo: envelope.id,
      semHash,
      qomReport: report,
      provenance: { intent: `reply to ${envelope.stype}`, agent: AGENT_ID, parentId: envelope.id },
      ...(profile === undefined ? {} : { profile }),
    };
    const reply = MplEnvelope.create(answer.stype, answer.payload, fields).toWire() as Record<string, unknown>;
    return { valid, blocked: false, inspection, reply, meta: { stype: answer.stype, profile, semHash, qomPassed: report.meets_profile } };
  }

  /** Validates a bare JSON body declared (X-MPL-SType) as `stype`. */
  async checkPayload(stype: string, payload: unknown): Promise<{ valid: boolean; errors: string[]; code: string }> {
    const check = await inspectPayload(this.validator, this.known, stype, payload);
    return { valid: check.schemaValid, errors: check.errors, code: check.code };
  }

  /** A hashed envelope to push, without a profile (each client's is set as it is sent). */
  async pushEnvelope(stype: string, payload: unknown): Promise<MplEnvelope> {
    const semHash = await semanticHash(payload);
    return MplEnvelope.create(stype, payload, { semHash, provenance: { intent: `push ${stype}`, agent: AGENT_ID } });
  }

  /** Adds an entry to `recorded` and returns it. */
  record(entry: Omit<RecordedMessage, 'at'>): RecordedMessage {
    const full = { ...entry, at: Date.now() };
    this.recorded.push(full);
    return full;
  }
}
