import { ErrorCode } from '../errors/codes.ts';
import { HashMismatchError } from '../errors/hash-mismatch-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { SchemaFidelityError } from '../errors/schema-fidelity-error.ts';
import type { HashLayout } from '../hashing/hash-layout.ts';
import { semanticHash, verifyHash } from '../hashing/index.ts';
import { MplEnvelope } from '../protocol/envelope.ts';
import type { PayloadOf, StypeId } from '../protocol/payloads.ts';
import { isJsonObject, stringOrUndefined as optional, stringsIn as strings } from '../protocol/json.ts';
import { QOM_RESULT_KEY, readPeerReply } from '../protocol/peer-reply.ts';
import { loadQom } from '../protocol/load-qom.ts';
import type { QomProfile } from '../protocol/qom.ts';
import { SType } from '../protocol/stype.ts';
import { SchemaValidator, embeddedRegistry, type Registry } from '../registry/index.ts';
import { headersProblem } from '../platform/headers.ts';
import { onDemandOne } from '../platform/on-demand.ts';
import { isSignal } from '../session/config.ts';
import { redact } from '../session/endpoint.ts';
import { createHttp, exchange, type Http, type HttpReply, type HttpRequest } from './http.ts';
import { notJsonReply } from '../platform/json-or-text.ts';
import { Mode } from './mode.ts';
import { checkRetries, checkTimeout, invalid, type ClientSettings } from './settings.ts';
import {
  httpStatusError, metaOf, metaOfNoAnswer, peerErrorOf, toolData, toolError,
  type Outcome, type ReplyContext,
} from './reply.ts';
import type {
  CallMeta, CallOptions, ClientOptions, ProxyCapabilities, ProxyHealth, ClientRequestOptions, ResultIn, ClientSendOptions,
} from './types.ts';

/** The implementation behind `Client` (client/lazy-client.ts), loaded with its first request. */
export class ClientCore<M extends Mode = Mode> {
  /** The URL tool calls and payloads are POSTed to. */
  readonly endpoint: string;
  readonly mode: M;
  /** The endpoint as errors show it: without its query (tokens live there). */
  readonly #shown: string;
  readonly #http: Http;
  readonly #timeoutMs: number;
  readonly #getRetries: number;
  readonly #postRetries: number;
  readonly #hashLayout: HashLayout;
  #registry: Registry | undefined;
  readonly #profile: (() => Promise<QomProfile | Promise<QomProfile>>) | undefined;
  #validator: SchemaValidator | undefined;
  #nextId = 1;

  /** `settings`: the options as `readClientOptions` checked them (in the `Client` constructor); `options`: the rest, as given. */
  constructor(settings: ClientSettings, options: ClientOptions<M>) {
    this.endpoint = settings.endpoint;
    this.#shown = redact(settings.endpoint);
    this.mode = settings.mode as M;
    this.#timeoutMs = settings.timeoutMs;
    this.#getRetries = settings.getRetries;
    this.#postRetries = settings.postRetries;
    // Checked here, with the Client's code, rather than at every request (the runtime's own message would show the value: a token, often).
    const headerProblem = headersProblem(options.headers);
    if (headerProblem !== undefined) throw invalid(`Client headers: ${headerProblem}`);
    this.#http = createHttp(options.headers ?? {}, options.fetch);
    this.#registry = options.registry;
    this.#hashLayout = settings.hashLayout;
    const { profile } = options;
    // A profile named here is resolved (QoM evaluation loaded) with the first send, so a
    // name that is neither the registry's nor built in fails before anything is sent.
    const { profileName } = settings;
    if (profile !== undefined && typeof profile !== 'string') this.#profile = () => Promise.resolve(profile);
    else if (profileName !== undefined) this.#profile = onDemandOne(loadQom, ({ QomProfile }) => QomProfile.resolve(profileName, this.#getRegistry()));
  }

  async call<T = unknown>(tool: string, args: Record<string, unknown> = {}, options: CallOptions = {}): Promise<ResultIn<M, T>> {
    options ??= {}; // null from plain JavaScript: no options
    if (typeof tool !== 'string' || tool === '') throw invalid(`call: the tool name must be a non-empty string, got ${JSON.stringify(tool)}`, { tool });
    if (!isJsonObject(args)) throw invalid(`call ${tool}: arguments must be an object, got ${Array.isArray(args) ? 'an array' : JSON.stringify(args)}`, { tool });
    const stype = options.stype === undefined ? undefined : SType.parse(options.stype).id;
    const id = this.#nextId++;
    const context: ReplyContext = { operation: `tools/call ${tool}`, endpoint: this.#shown, stype };
    const outcome = await this.#post(
      { jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } },
      stype === undefined ? {} : { 'X-MPL-SType': stype },
      context, options,
      (reply) => readToolReply(reply, id, tool, context),
    );
    return this.#settle<T>(outcome);
  }

  async send<S extends StypeId, R = unknown>(stype: S, payload: PayloadOf<S>, options: ClientSendOptions = {}): Promise<ResultIn<M, R>> {
    options ??= {}; // null from plain JavaScript: no options
    const id = SType.parse(stype).id;
    const profile = await this.#profile?.();
    const context: ReplyContext = { operation: `send ${id}`, endpoint: this.#shown, stype: id };
    if (options.validate !== false) {
      const failure = await this.#validate(id, payload);
      if (failure !== undefined) return this.#settle<R>({ ok: false, error: failure, meta: metaOfNoAnswer(id) });
    }
    const semHash = await semanticHash(payload, { hashLayout: this.#hashLayout });
    const envelope = MplEnvelope.create<string>(id, payload, { semHash, ...(profile === undefined ? {} : { profile: profile.name }) });
    const outcome = await this.#post(envelope.toWire(), { 'X-MPL-SType': id }, context, options,
      (reply) => readSendReply(reply, envelope, context, profile));
    return this.#settle<R>(outcome);
  }

  async health(options: ClientRequestOptions = {}): Promise<ProxyHealth> {
    options ??= {}; // null from plain JavaScript: no options
    return await this.#getJson('/health', options, 'status') as ProxyHealth;
  }

  async capabilities(options: ClientRequestOptions = {}): Promise<ProxyCapabilities> {
    options ??= {}; // null from plain JavaScript: no options
    const body = await this.#getJson('/capabilities', options);
    const flags = isJsonObject(body['capabilities']) ? body['capabilities'] : {};
    return {
      version: optional(body['version']),
      mplVersion: optional(body['mpl_version']),
      capabilities: Object.fromEntries(Object.entries(flags).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>,
      stypes: strings(body['stypes']),
      profiles: strings(body['profiles']),
      mode: optional(body['mode']),
      raw: body,
    };
  }

  async #post(body: unknown, headers: Record<string, string>, context: ReplyContext, options: ClientRequestOptions,
    read: (reply: HttpReply) => Outcome | Promise<Outcome>): Promise<Outcome> {
    const request = this.#request('post', this.endpoint, context.operation, options, { json: body, headers });
    let reply: HttpReply;
    try {
      reply = await exchange(this.#http, request);
    } catch (error) {
      // The caller's abort reason is thrown as it is, in both modes, even when it is an MplError.
      if (error instanceof MplError && !(options.signal?.aborted && error === options.signal.reason)) return { ok: false, error, meta: metaOfNoAnswer(context.stype) };
      throw error;
    }
    try {
      return await read(reply);
    } catch (error) {
      if (error instanceof MplError) return { ok: false, error, meta: metaOf(reply) };
      throw error;
    }
  }

  /** GETs `path` at the endpoint's origin; the answer must be a JSON object (with a string `requiredString`). */
  async #getJson(path: string, options: ClientRequestOptions, requiredString?: string): Promise<Record<string, unknown>> {
    const url = new URL(path, this.endpoint).href;
    const operation = `GET ${path}`;
    const reply = await exchange(this.#http, this.#request('get', url, operation, options));
    // An MPL error is one whatever the status: a 200 carrying one is no health or capabilities.
    const context = { operation, endpoint: url };
    const peerError = peerErrorOf(reply, context);
    if (peerError) throw peerError;
    if (reply.status < 200 || reply.status > 299) throw httpStatusError(reply, context);
    const { body } = reply;
    if (!isJsonObject(body) || (requiredString !== undefined && typeof body[requiredString] !== 'string')) {
      const wanted = requiredString === undefined ? 'a JSON object' : `a JSON object with a "${requiredString}" string`;
      throw new MplError(ErrorCode.InvalidEnvelope, `${operation}: expected ${wanted} from ${url}, got ${JSON.stringify(body)?.slice(0, 200)}`, { details: { endpoint: url, body } });
    }
    return body;
  }

  #request(method: 'get' | 'post', url: string, operation: string, options: ClientRequestOptions, extra: Pick<HttpRequest, 'json' | 'headers'> = {}): HttpRequest {
    if (options.signal !== undefined && !isSignal(options.signal)) throw invalid(`${operation}: signal must be an AbortSignal, got ${options.signal === null ? 'null' : typeof options.signal}`, { operation });
    return {
      method, url, shown: url === this.endpoint ? this.#shown : redact(url), operation, ...extra,
      signal: options.signal,
      timeoutMs: options.timeoutMs === undefined ? this.#timeoutMs : checkTimeout(options.timeoutMs, operation),
      retries: options.retry === undefined ? (method === 'get' ? this.#getRetries : this.#postRetries) : checkRetries(options.retry, operation),
    };
  }

  #getRegistry(): Registry {
    this.#registry ??= embeddedRegistry();
    return this.#registry;
  }

  async #validate(stype: string, payload: unknown): Promise<MplError | undefined> {
    try {
      this.#validator ??= new SchemaValidator(this.#getRegistry());
      const issues = await this.#validator.validate(stype, payload);
      return issues.length === 0 ? undefined : new SchemaFidelityError(stype, issues, { details: { source: 'client' } });
    } catch (error) {
      if (error instanceof MplError) return error;
      throw error;
    }
  }

  #settle<T>(outcome: Outcome): ResultIn<M, T> {
    if (outcome.ok) return { ...outcome.meta, valid: true, data: outcome.data as T } as ResultIn<M, T>;
    if (this.mode === Mode.Production) throw outcome.error;
    // A failed call passed nothing, whatever headers came with its error: `qomPassed` is never true beside an `error`.
    return { ...outcome.meta, qomPassed: false, valid: false, data: undefined, error: outcome.error } as ResultIn<M, T>;
  }
}

/** Reads the answer to an envelope `sent` by `send` (any shape `readPeerReply` reads), then checks its hash and QoM report. */
async function readSendReply(reply: HttpReply, sent: MplEnvelope, context: ReplyContext, profile: QomProfile | undefined): Promise<Outcome> {
  const meta = metaOf(reply);
  // A 2xx that is not JSON (an HTML login page, a bare "OK", nothing at all) is no reply, as the Session reads it.
  if (reply.status >= 200 && reply.status <= 299 && !reply.json) {
    return { ok: false, error: notJsonReply(context.operation, context.endpoint, reply.status, reply.headers.get('content-type'), reply.body), meta };
  }
  const read = readPeerReply(reply.body, { request: sent, status: reply.status, headers: meta.mplHeaders, endpoint: context.endpoint, operation: context.operation },
    () => httpStatusError(reply, context));
  if (!read.ok) return { ok: false, error: read.error, meta };
  const { envelope } = read;
  const withEnvelope: CallMeta = {
    ...meta,
    stype: envelope.stype,
    semHash: envelope.semHash ?? meta.semHash,
    profile: envelope.profile ?? meta.profile,
  };
  if (envelope.semHash !== undefined && !(await verifyHash(envelope.payload, envelope.semHash))) {
    const actual = await semanticHash(envelope.payload);
    return { ok: false, error: new HashMismatchError({ expected: envelope.semHash, actual, stype: envelope.stype }), meta: withEnvelope };
  }
  // Every verdict counts, and any that fails fails: a header's "pass" does not hide the report's own breach.
  const verdict = envelope.extra?.[QOM_RESULT_KEY];
  withEnvelope.qomPassed = meta.qomPassed && verdict !== 'fail' && await senderPassed(envelope);
  const report = envelope.qomReport;
  if (profile !== undefined && report !== undefined) {
    try {
      profile.assertReport(report);
    } catch (error) {
      if (!(error instanceof MplError)) throw error;
      return { ok: false, error, meta: { ...withEnvelope, qomPassed: false } };
    }
  }
  return { ok: true, data: envelope.payload, meta: withEnvelope };
}

/**
 * Whether the reply's sender says it passed QoM: its report's verdict (read by QoM
 * evaluation, loaded for it), or the proxy's `validation.qom_passed`.
 */
async function senderPassed(envelope: MplEnvelope): Promise<boolean> {
  if (envelope.qomReport !== undefined) return !(await loadQom()).readQomReport(envelope.qomReport).reportedBreach;
  const validation = envelope.extra?.['validation'];
  return !(isJsonObject(validation) && validation['qom_passed'] === false);
}

/** Reads the answer to a `tools/call` request `id`. */
function readToolReply(reply: HttpReply, id: number, tool: string, context: ReplyContext): Outcome {
  const meta = metaOf(reply);
  const { body, status } = reply;
  const fail = (error: MplError): Outcome => ({ ok: false, error, meta });
  if (isJsonObject(body) && body['jsonrpc'] === '2.0' && body['id'] !== undefined && body['id'] !== null && body['id'] !== id) {
    return fail(new MplError(ErrorCode.InvalidEnvelope, `${context.operation}: the JSON-RPC reply has id ${JSON.stringify(body['id'])}, the request had ${id}`, { details: { endpoint: context.endpoint, body } }));
  }
  const peerError = peerErrorOf(reply, context, tool);
  if (peerError) return fail(peerError);
  if (status < 200 || status > 299) return fail(httpStatusError(reply, context));
  if (!isJsonObject(body)) {
    const got = body === undefined ? 'an empty body' : `${typeof body === 'string' ? 'text' : 'JSON'} ${JSON.stringify(body).slice(0, 200)}`;
    return fail(new MplError(ErrorCode.InvalidEnvelope, `${context.operation}: expected a JSON-RPC reply from ${context.endpoint}, got ${got}`, { details: { endpoint: context.endpoint, body } }));
  }
  if (!('result' in body)) return { ok: true, data: body, meta }; // an upstream that does not speak JSON-RPC
  const result = body['result'];
  if (isJsonObject(result) && result['isError'] === true) return fail(toolError(result, context, tool));
  return { ok: true, data: toolData(result), meta };
}
