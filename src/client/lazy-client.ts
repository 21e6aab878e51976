import type { ClientCore } from './client.ts';
import type { PayloadOf, StypeId } from '../protocol/payloads.ts';
import type { Mode } from './mode.ts';
import { readClientOptions } from './settings.ts';
import { onDemand, onDemandOne } from '../platform/on-demand.ts';
import { loadQom } from '../protocol/load-qom.ts';
import { embeddedRegistry } from '../registry/embedded.ts';
import { prefetchChecks } from '../registry/prefetch-checks.ts';
import type {
  CallData, CallOptions, CallRest, ClientArgs, ClientOptions, ClientRequestOptions, ClientSendOptions, NotGiven, ProxyCapabilities, ProxyHealth, ResultIn,
} from './types.ts';
import { keepName } from '../platform/class-name.ts';

const loadClientCore = /* @__PURE__ */ onDemand('Client', () => import('./client.ts'));

/**
 * The simple MPL client: JSON-RPC tool calls and typed payloads over HTTP, usually through
 * an MPL proxy. No handshake; every request stands alone.
 *
 * - `call(tool, args, { stype })`: a JSON-RPC 2.0 `tools/call` POSTed to the endpoint.
 * - `send(stype, payload)`: the payload validated against the registry's schema,
 *   hashed and POSTed as an MPL envelope with `X-MPL-SType`.
 * - `health()`, `capabilities()`: `GET /health`, `GET /capabilities` at the endpoint's origin.
 *
 * In `Mode.Development` (the default) a failed `call`/`send` resolves with `valid: false`
 * and the `error`; in `Mode.Production` it throws that `MplError`. Bad arguments (an
 * invalid SType, a payload with no canonical form) and aborts throw in both modes.
 * POSTs are never retried unless `retry: { post: true }`; GETs retry twice. The
 * constructor checks the options; the code that makes requests loads with the first
 * request, and ky with the first that may be retried (a request tried once goes to `fetch`
 * itself); if one cannot load, that request rejects with an `MplError` `E-MODULE-LOAD`,
 * and the first `send` starts loading what it checks with (the validator engine, the
 * embedded registry, the hasher, QoM evaluation for a profile named) beside it, at once.
 *
 * @example
 * import { Client, Mode } from 'mpl-sdk';
 * const client = new Client('http://127.0.0.1:9443/mcp', { mode: Mode.Production });
 * const { data, qomPassed } = await client.call<{ sum: number }>('math.add', { a: 2, b: 3 });
 * console.log(data.sum, qomPassed); // 5 true
 */
export class Client<M extends Mode = Mode> {
  /** The URL tool calls and payloads are POSTed to. */
  readonly endpoint: string;
  readonly mode: M;
  readonly #open: () => Promise<ClientCore<M>>;
  readonly #given: ClientOptions<M>;
  /** Whether a send has started loading what sends check with (once is enough: the loads are shared). */
  #prefetched = false;

  constructor(endpoint: string | URL, ...[given]: ClientArgs<M>) {
    const options: ClientOptions<M> = given ?? {}; // none, or null from plain JavaScript: no options (as for every method)
    const settings = readClientOptions(endpoint, options); // bad options throw here, synchronously
    this.endpoint = settings.endpoint;
    this.mode = settings.mode as M;
    this.#given = { ...options }; // as they are now, like a client made at once
    this.#open = onDemandOne(loadClientCore, ({ ClientCore }) => new ClientCore(settings, this.#given));
  }

  /**
   * Calls `tool` with `args` as a JSON-RPC 2.0 `tools/call`. `data` is the result's
   * `structuredContent`, else its text content parsed as JSON, else the result itself;
   * `stype`, `qomPassed`, `semHash` and `profile` come from the `X-MPL-*` headers.
   *
   * Failures: a JSON-RPC error (`E-JSON-RPC`, its code in `details.jsonRpcCode`), a tool
   * result with `isError` (`E-TOOL-ERROR`), a proxy block (`SchemaFidelityError` from
   * `{"error":"E-SCHEMA-FIDELITY",…}`), another HTTP error (`E-HTTP-STATUS`),
   * `TimeoutError`, `ConnectionError`.
   *
   * Types (checked by the compiler only): the arguments and `data` of a tool listed in
   * {@link ClientTools}; with an `stype` option of {@link StypePayloads}, the arguments are
   * its payload; `call<T, A>` names `data`'s type `T` and the arguments' type `A` for one
   * call. Anything else takes any object and gives `unknown`.
   *
   * @example
   * const r = await client.call('calendar.create_event', event, { stype: 'org.calendar.Event.v1' }); // event checked as an Event
   * if (!r.valid) console.error(r.error.code, r.error.message);
   * const { data } = await client.call<{ hits: string[] }, { q: string }>('search', { q: 'mpl' });
   * console.log(data.hits); // a Client in Mode.Production: data is { hits: string[] }
   */
  async call<T = NotGiven, A extends object = NotGiven, Tool extends string = string, S extends StypeId = StypeId>(
    tool: Tool, ...rest: CallRest<A, Tool, S>
  ): Promise<ResultIn<M, CallData<T, Tool>>> {
    const [args, options] = rest as [Record<string, unknown>?, CallOptions?];
    return (await this.#open()).call<CallData<T, Tool>>(tool, args, options);
  }

  /**
   * Sends a typed payload: validated against the registry's schema for `stype`
   * (`UnknownStypeError` when it has none; `validate: false` skips it), hashed in the
   * client's `hashLayout`, and POSTed as an MPL envelope with `X-MPL-SType`. `data` is
   * the reply envelope's payload, or the reply itself when it is not an envelope. A reply
   * hash that matches the payload in neither layout is a `HashMismatchError`; a reply QoM
   * report that fails the client's `profile` is a `QomBreachError`.
   *
   * The payload's type comes from {@link StypePayloads} (`unknown` for an SType it does
   * not list); `R` names the type of the reply's `data` (unchecked).
   *
   * @example
   * const r = await client.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
   * console.log(r.valid, r.semHash, r.data);
   * const t = await client.send<'com.acme.finance.Trade.v2', { status: string }>('com.acme.finance.Trade.v2', trade);
   */
  async send<S extends StypeId, R = unknown>(stype: S, payload: PayloadOf<S>, options: ClientSendOptions = {}): Promise<ResultIn<M, R>> {
    if (!this.#prefetched) {
      // What the first send checks with loads beside the Client's code, not after it (see prefetchChecks); QoM evaluation for a profile named.
      this.#prefetched = true;
      prefetchChecks(options?.validate !== false, true, this.#given.registry ?? embeddedRegistry());
      if (typeof this.#given.profile === 'string') loadQom().catch(() => {});
    }
    return (await this.#open()).send<S, R>(stype, payload, options);
  }

  /**
   * `GET /health` at the endpoint's origin, as the MPL proxy serves it. Throws on failure
   * in both modes.
   *
   * @example
   * const { status, version } = await client.health(); // 'healthy', '0.1.2'
   */
  async health(options: ClientRequestOptions = {}): Promise<ProxyHealth> {
    return (await this.#open()).health(options);
  }

  /**
   * `GET /capabilities` at the endpoint's origin: the STypes, QoM profiles and features of
   * the proxy. Throws on failure in both modes.
   *
   * @example
   * const caps = await client.capabilities();
   * if (caps.stypes.includes('org.calendar.Event.v1')) await client.send('org.calendar.Event.v1', event);
   */
  async capabilities(options: ClientRequestOptions = {}): Promise<ProxyCapabilities> {
    return (await this.#open()).capabilities(options);
  }
}
keepName(Client, 'Client');
