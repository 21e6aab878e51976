import { negotiate, readHello, type NegotiationPolicy } from './hello.ts';
import type { Handler } from './handler.ts';
import { inspectPayload, type Checks } from './inspect.ts';
import type { InboundRecord, ServerLimits, ServerOptions } from './options.ts';
import { QomProfile, SType, SchemaValidator, UnknownStypeError, embeddedRegistry, type AlpnError, type AlpnSelect } from './sdk.ts';

/** The reference proxy's version, the default of `/health` and `/capabilities`. */
const PROXY_VERSION = '0.1.2';

/** A server's options with every default filled in, and what it loaded from its registry. */
export interface Core extends Checks {
  readonly strict: boolean;
  readonly replies: 'envelope' | 'proxy';
  readonly qomReports: 'when-asked' | 'always' | 'never';
  readonly unknownFrames: 'error' | 'passthrough';
  readonly binaryFrames: 'close' | 'echo';
  readonly limits: ServerLimits;
  readonly version: string;
  readonly name: string;
  /** The STypes served, sorted. */
  readonly stypes: readonly string[];
  readonly profiles: ReadonlyMap<string, QomProfile>;
  readonly policy: NegotiationPolicy;
  readonly handlers: ReadonlyMap<string, Handler>;
  /** Whether anything reads what `record` is given (`onInbound`): without it, what is only recorded is not worked out. */
  readonly recording: boolean;
  record(entry: InboundRecord): void;
  reportError(error: unknown, context: { stype?: string; transport: 'ws' | 'http' }): void;
}

/** Loads the STypes and profiles a server needs; an SType without a schema refuses to start. */
export async function loadCore(options: ServerOptions, handlers: ReadonlyMap<string, Handler>, limits: ServerLimits): Promise<Core> {
  const registry = options.registry ?? embeddedRegistry();
  const stypes = [...new Set((options.stypes ?? await registry.list()).map((s) => SType.parse(s).id))].sort();
  for (const stype of stypes) {
    if (!(await registry.has(stype))) throw new UnknownStypeError(stype, registry.source);
  }
  const profiles = new Map<string, QomProfile>();
  for (const name of QomProfile.builtinNames) profiles.set(name, await QomProfile.resolve(name, registry));
  if (options.requiredProfile !== undefined && !profiles.has(options.requiredProfile)) {
    profiles.set(options.requiredProfile, await QomProfile.resolve(options.requiredProfile, registry));
  }
  const served = new Set(stypes);
  const onInbound = options.onInbound;
  const onError = options.onError ?? ((error: unknown) => console.error('mpl-sdk/server:', error));
  // A failing error hook must not take the server down, nor turn an answer already worked out into an error.
  const reportError = (error: unknown, context: Parameters<typeof onError>[1]): void => {
    try {
      onError(error, context);
    } catch {
      // nothing more to tell it with
    }
  };
  return {
    strict: options.mode === 'strict' || options.mode === 'production',
    replies: options.replies ?? 'envelope',
    qomReports: options.qomReports ?? 'when-asked',
    unknownFrames: options.unknownFrames ?? 'error',
    binaryFrames: options.binaryFrames ?? 'close',
    limits,
    hashLayout: options.hashLayout ?? 'either',
    schemaDetails: options.schemaDetails ?? 'proxy',
    version: options.version ?? PROXY_VERSION,
    name: options.name ?? 'mpl-sdk-server',
    validator: new SchemaValidator(registry),
    stypes,
    served,
    profiles,
    policy: {
      serverStypes: served,
      knownProfiles: new Set(profiles.keys()),
      requiredProfile: options.requiredProfile,
      replyType: options.handshakeReplyType ?? 'ai-alpn-select',
      onIncompatible: options.onIncompatible ?? 'empty',
      extensions: options.extensions ?? {},
    },
    handlers,
    recording: onInbound !== undefined,
    record: (entry) => {
      try {
        onInbound?.(entry);
      } catch (error) {
        reportError(error, { transport: entry.transport });
      }
    },
    reportError,
  };
}

/** The handshake reply to a hello, or why the hello cannot be read. */
export function answerHello(core: Core, body: unknown): { ok: true; reply: AlpnSelect | AlpnError } | { ok: false; problem: string } {
  const hello = readHello(body);
  return hello.ok ? { ok: true, reply: negotiate(hello, core.policy) } : hello;
}

/** `GET /capabilities`, shaped like the proxy's. */
export function capabilities(core: Core): Record<string, unknown> {
  return {
    version: core.version,
    mpl_version: '1.0',
    capabilities: {
      handshake: true, schema_validation: true, semantic_hashing: true, qom_reports: core.qomReports !== 'never',
      strict_mode: core.strict, websocket: true, http: true, push: true, reply_markers: core.replies === 'envelope',
    },
    stypes: [...core.stypes],
    profiles: [...core.profiles.keys()],
    mode: core.strict ? 'production' : 'development',
  };
}

/** Validates a payload as `stype`: what a bare JSON body declared by X-MPL-SType gets. */
export async function checkPayload(core: Core, stype: string, payload: unknown): Promise<{ valid: boolean; errors: string[]; code: string }> {
  const check = await inspectPayload(core, stype, payload);
  return { valid: check.schemaValid, errors: check.errors, code: check.code };
}
