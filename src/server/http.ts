import { answerHello, capabilities, checkPayload, type Core } from './core.ts';
import { preflight, withCors, type CorsPolicy } from './cors.ts';
import { exchange, mplHeaders, replyText } from './exchange.ts';
import { Gate, type Turn } from './gate.ts';
import { looksLikeEnvelope, wrappedEnvelope, wrapReply } from './inspect.ts';
import type { InboundRecord } from './options.ts';
import { ErrorCode, semanticHash } from './sdk.ts';
import { webIn, type HttpIn } from './http-in.ts';
import { empty, errorAnswer, json, jsonText, text, toResponse, type HttpAnswer } from './wire.ts';

/** Where the AI-ALPN hello is POSTed: the origin root (RFC 8615), or below an endpoint path. */
const HELLO_PATH = '/.well-known/ai-alpn';

/**
 * What the server does with a POSTed body that is neither a hello nor an envelope, given
 * the request (a copy whose body, already read by the server, can be read again) and the
 * body (its text and parsed JSON). The proxy's "upstream". Undefined
 * leaves it to the server: a declared bare JSON body comes back with its hash, anything
 * else is refused.
 *
 * @example
 * new MplServer({ upstream: (request, body) => fetch('http://127.0.0.1:3000/mcp', { method: 'POST', headers: request.headers, body: body.text }) });
 */
export type Upstream = (request: Request, body: { text: string; json: unknown }) => Response | undefined | Promise<Response | undefined>;

/**
 * Routes of the application's own, asked first (after a CORS preflight): a Response
 * answers the request (with the server's CORS headers), undefined leaves it to the server.
 *
 * @example
 * new MplServer({ routes: (request) => (new URL(request.url).pathname === '/' ? new Response('MPL calendar agent') : undefined) });
 */
export type Routes = (request: Request) => Response | undefined | Promise<Response | undefined>;

/** The answer to a request the server failed on. */
const INTERNAL_ERROR = json(500, { error: ErrorCode.Internal, message: 'The server failed on this request' });

/** Seconds a client refused for overload is told to wait (`Retry-After`). */
const RETRY_AFTER_S = 1;

/** The HTTP side of a server: web-standard Request in, Response out; or an adapter's own reading of a request in, and an answer it writes. */
export class HttpEndpoint {
  readonly #gate: Gate;
  /** Bytes of the bodies being read, or held, ahead of their turn (see `#admitted`). */
  #readAhead = 0;

  constructor(private readonly core: Core, private readonly cors: CorsPolicy, private readonly routes: Routes | undefined, private readonly upstream: Upstream | undefined) {
    this.#gate = new Gate(core.limits.maxConcurrentRequests, core.limits.maxQueuedRequests);
  }

  /** `answer` for a web-standard Request, as a Response. Never rejects. */
  async fetch(request: Request): Promise<Response> {
    const input = webIn(request);
    const answer = await this.answer(input);
    try {
      return toResponse(answer);
    } catch (error) { // an answer no Response can hold (a header value): the server's failure, as in `answer`
      this.core.reportError(error, { transport: 'http' });
      return toResponse(withCors(this.cors, input, INTERNAL_ERROR));
    }
  }

  /**
   * Answers one request, in its turn (`limits.maxConcurrentRequests` at once, with up to
   * `limits.maxQueuedRequests` more admitted; past both, 503 `E-OVERLOADED`). Never rejects:
   * a failure becomes a 500 `E-INTERNAL`.
   */
  async answer(request: HttpIn): Promise<HttpAnswer> {
    let answer: HttpAnswer;
    try {
      answer = preflight(this.cors, request) ?? this.#probe(request) ?? await this.#gate.admit((turn) => this.#admitted(request, turn), () => this.#overloaded());
    } catch (error) {
      this.core.reportError(error, { transport: 'http' });
      answer = INTERNAL_ERROR;
    }
    return withCors(this.cors, request, answer);
  }

  /**
   * `GET /health` and `/capabilities` answered at once, outside the turns: a liveness probe
   * must not wait behind requests whose bodies are still arriving (a few stalled uploads
   * would make a busy server look dead), nor be refused with 503. Only when the application
   * has no `routes`, which are asked first and may answer those paths themselves.
   */
  #probe(request: HttpIn): HttpAnswer | undefined {
    return this.routes === undefined ? this.#proxyEndpoint(request) : undefined;
  }

  /** The reference proxy's `GET /health` and `GET /capabilities`, for a request to either. */
  #proxyEndpoint({ pathname, method }: HttpIn): HttpAnswer | undefined {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (pathname === '/health') return json(200, { status: 'healthy', version: this.core.version });
    if (pathname === '/capabilities') return json(200, capabilities(this.core));
    return undefined;
  }

  /**
   * An admitted request. Without application routes, a POST's body is read before it takes
   * a turn: a client that stops sending then holds an admission place for `bodyTimeoutMs`,
   * not one of the turns that requests whose bodies have come are answered in. The bodies
   * read ahead so, each counted by its Content-Length (`maxFrameBytes` without one), hold
   * at most `maxConcurrentRequests × maxFrameBytes`, as the turns' bodies do; past that a
   * body is read in its turn. (Routes are asked first and may stream a body of any size, so
   * with routes the body is read in the turn.)
   */
  async #admitted(request: HttpIn, turn: Turn): Promise<HttpAnswer> {
    if (this.routes !== undefined || request.method !== 'POST') return turn(() => this.#inTurn(request));
    const { maxFrameBytes, maxConcurrentRequests } = this.core.limits;
    const declared = Number(request.header('content-length') ?? Number.NaN);
    const share = Number.isSafeInteger(declared) && declared >= 0 && declared < maxFrameBytes ? declared : maxFrameBytes;
    // Memory: bodies read ahead hold at most what the turns' bodies may; past that a body waits for its turn, as it used to.
    if (this.#readAhead + share > maxConcurrentRequests * maxFrameBytes) return turn(() => this.#inTurn(request));
    this.#readAhead += share;
    try {
      const body = await this.#body(request);
      return typeof body === 'string' ? await turn(() => this.#inTurn(request, body)) : body;
    } finally {
      this.#readAhead -= share;
    }
  }

  /** A request whose turn came: answered, unless its client went away while it waited. */
  async #inTurn(request: HttpIn, body?: string): Promise<HttpAnswer> {
    if (request.gone) return empty(499);
    return (this.routes && await this.routes(request.request())) ?? await this.#route(request, body);
  }

  /** A POST's body under `maxFrameBytes` and `bodyTimeoutMs`, or the answer to one that broke either. */
  async #body(request: HttpIn): Promise<string | HttpAnswer> {
    const { maxFrameBytes, bodyTimeoutMs } = this.core.limits;
    const body = await request.text(maxFrameBytes, bodyTimeoutMs);
    if (body === 413) return json(413, { error: 'E-INVALID-ENVELOPE', message: `The request body is larger than ${maxFrameBytes} bytes` });
    if (body === 408) return json(408, { error: 'E-TIMEOUT', message: `The request body did not arrive within ${bodyTimeoutMs} ms`, details: { timeout_ms: bodyTimeoutMs } });
    return body;
  }

  #overloaded(): HttpAnswer {
    const { maxConcurrentRequests: running, maxQueuedRequests: queued } = this.core.limits;
    return json(503, {
      error: ErrorCode.Overloaded,
      message: `The server is busy (${running} requests running, ${queued} waiting): retry after ${RETRY_AFTER_S} s`,
      details: { retry_after_s: RETRY_AFTER_S, max_concurrent_requests: running, max_queued_requests: queued },
    }, { 'Retry-After': String(RETRY_AFTER_S) });
  }

  #record(path: string, entry: Omit<InboundRecord, 'transport' | 'path'>): void {
    this.core.record({ transport: 'http', path, ...entry });
  }

  /** `read`: the body, when it was read before the turn. */
  async #route(request: HttpIn, read?: string): Promise<HttpAnswer> {
    const { pathname, method } = request;
    const proxyEndpoint = this.#proxyEndpoint(request);
    if (proxyEndpoint) return proxyEndpoint;
    if (method === 'GET' && request.header('upgrade')?.toLowerCase() === 'websocket') return text(426, 'WebSocket upgrades are handled by the runtime adapter');
    if (method === 'GET' || method === 'HEAD') return text(404, 'Not Found');
    // As the proxy (axum) answers a method no route takes, OPTIONS without CORS included; a 405 names what is allowed (RFC 9110 §15.5.6).
    if (method !== 'POST') return text(405, 'Method Not Allowed', { Allow: 'GET, HEAD, POST' });
    const body = read ?? await this.#body(request);
    if (typeof body !== 'string') return body;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return json(400, { error: 'E-INVALID-ENVELOPE', message: 'The request body is not JSON' });
    }
    if (pathname.endsWith(HELLO_PATH)) return this.#hello(pathname, value);
    if (looksLikeEnvelope(value)) return this.#envelope(request, pathname, value);
    const wrapped = wrappedEnvelope(value);
    if (wrapped) return this.#envelope(request, pathname, wrapped, true);
    const declared = request.header('x-mpl-stype');
    const isJsonRpc = (value as { jsonrpc?: unknown } | null)?.jsonrpc === '2.0';
    if (declared && !isJsonRpc) return this.#bareJson(request, pathname, { text: body, json: value }, declared);
    const answered = await this.upstream?.(request.request(), { text: body, json: value });
    if (answered) return answered;
    // A JSON-RPC request (a tool call, with or without X-MPL-SType) is the upstream's to answer: said so, not taken for a body missing its SType.
    const problem = isJsonRpc ? 'a JSON-RPC request, and no upstream to forward it to' : 'no SType declared';
    this.#record(pathname, { kind: 'bare-json', wire: value, valid: false, hashOk: undefined, errors: [problem], blocked: true });
    return json(400, isJsonRpc
      ? { error: 'E-INVALID-ENVELOPE', message: `This server answers MPL envelopes, and JSON bodies with their SType in X-MPL-SType; a JSON-RPC request (${JSON.stringify(String((value as { method?: unknown }).method ?? ''))}) is forwarded to the server's upstream, and it has none` }
      : { error: 'E-INVALID-ENVELOPE', message: 'Expected an MPL envelope, or a JSON body with its SType in X-MPL-SType' });
  }

  #hello(path: string, body: unknown): HttpAnswer {
    const answer = answerHello(this.core, body);
    this.#record(path, { kind: 'hello', wire: body, valid: answer.ok, hashOk: undefined, errors: answer.ok ? [] : [answer.problem], blocked: !answer.ok });
    if (!answer.ok) return text(422, `Failed to deserialize the JSON body into the target type: ${answer.problem}`);
    return json(200, answer.reply);
  }

  /** An envelope's answer; `wrapped`: it came as A2A's `{"mpl_envelope": …}`, and its reply goes back so. */
  async #envelope(request: HttpIn, path: string, wire: Record<string, unknown>, wrapped = false): Promise<HttpAnswer> {
    const outcome = await exchange(this.core, wire, { transport: 'http', session: undefined, http: request, negotiatedProfile: undefined });
    const { answer, requestId, inspection } = outcome;
    this.#record(path, { kind: 'envelope', wire, valid: outcome.valid, hashOk: inspection.hashOk, errors: inspection.errors, blocked: outcome.blocked });
    const headers = mplHeaders(answer, inspection.envelope?.stype);
    if (answer.kind === 'error') {
      const body = outcome.blocked ? { ...answer.body, message: 'Request validation failed' } : answer.body;
      return json(answer.status, body, headers);
    }
    // The proxy hands back whatever its upstream said: in proxy mode, the bare reply payload.
    if (this.core.replies === 'proxy' || requestId === undefined) return json(200, answer.payload, headers);
    const text = replyText(this.core, answer, requestId);
    return jsonText(200, wrapped ? wrapReply(text) : text, headers);
  }

  /**
   * A bare JSON body declared as `stype`: validated and blocked in strict mode, as the proxy
   * does; then handed to the upstream, or back with its hash when there is none.
   */
  async #bareJson(request: HttpIn, path: string, body: { text: string; json: unknown }, stype: string): Promise<HttpAnswer> {
    const check = await checkPayload(this.core, stype, body.json);
    const blocked = !check.valid && this.core.strict;
    this.#record(path, { kind: 'bare-json', wire: body.json, valid: check.valid, hashOk: undefined, errors: check.errors, blocked });
    if (blocked) return json(400, errorAnswer(400, check.code, 'Request validation failed', check.errors).body, { 'X-MPL-QoM-Result': 'fail' });
    const answered = await this.upstream?.(request.request(), body);
    if (answered) return answered;
    return json(200, body.json, { 'X-MPL-QoM-Result': check.valid ? 'pass' : 'fail', 'X-MPL-SType': stype, 'X-MPL-Sem-Hash': await semanticHash(body.json) });
  }
}
