import { ErrorCode } from '../errors/codes.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { HashMismatchError } from '../errors/hash-mismatch-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { NegotiationError } from '../errors/negotiation-error.ts';
import { PolicyDeniedError } from '../errors/policy-denied-error.ts';
import { QomBreachError } from '../errors/qom-breach-error.ts';
import { SchemaFidelityError, type ValidationIssue } from '../errors/schema-fidelity-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { isJsonObject, stringOrUndefined as str, stringsIn as strings } from './json.ts';

type Obj = Record<string, unknown>;

/**
 * An MPL peer's error reply, in any of the forms MPL peers use: `{"error":"E-…",…}`,
 * `{"code":"E-…",…}`, `{"error":{"code":"E-…",…}}` (also under `"type":"error"`,
 * `"success":false` or `"valid":false`), a JSON-RPC `{"jsonrpc":"2.0","error":{"code":-32602,…}}`,
 * or a plain-text error such as `{"error":"MPL schema validation failed","errors":[…]}`.
 *
 * @example
 * const body: WireError = { error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['Schema error at /start: not a date-time'] };
 */
export type WireError = Record<string, unknown>;

/**
 * Where an error reply came from, for its message and details.
 *
 * @example
 * const context: WireErrorContext = { stype: 'org.calendar.Event.v1', endpoint: 'http://127.0.0.1:9443/mcp', status: 400, operation: 'send org.calendar.Event.v1' };
 */
export interface WireErrorContext {
  /** The SType of the request it answers. */
  stype?: string | undefined;
  endpoint?: string | undefined;
  /** The HTTP status it came with. */
  status?: number | undefined;
  /** What the caller was doing (`send org.calendar.Event.v1`, `tools/call echo`). */
  operation?: string | undefined;
}

const CODE = /^E-[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const isCode = (v: unknown): v is string => typeof v === 'string' && CODE.test(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One error, whatever its form: its code (an `E-…` string, a JSON-RPC number, or none), message and members. */
export interface Said {
  code: string | number | undefined;
  message: string | undefined;
  /** The object holding the error's members (the body, or its `error` object). */
  fields: Obj;
}

/**
 * The error a body carries (its code, message and members), or undefined when it is not an
 * error reply: the verdict of {@link readWireError} without building the error.
 */
export function wireErrorParts(body: unknown): Said | undefined {
  if (!isJsonObject(body)) return undefined;
  const { error, code } = body;
  if (isJsonObject(error) && (error['code'] !== undefined || typeof error['message'] === 'string' || body['jsonrpc'] === '2.0' || body['type'] === 'error')) {
    const inner = error['code'];
    return { code: (typeof inner === 'string' && inner !== '') || typeof inner === 'number' ? inner : undefined, message: str(error['message']), fields: { ...body, ...error } };
  }
  if (isCode(error)) return { code: error, message: str(body['message']), fields: body };
  if (typeof error === 'string' && error !== '') return { code: undefined, message: str(body['message']) ?? error, fields: body };
  // A full envelope (`id`, `stype`, `payload`) is a message whatever else it carries; any other
  // body that says it failed is an error, also beside a `payload` or `stype` of its own.
  if (typeof body['id'] === 'string' && typeof body['stype'] === 'string' && 'payload' in body) return undefined;
  // (A payload beside the code makes it a reply carrying one, unless that payload is null: nothing.)
  if (isCode(code) && (!('payload' in body) || body['payload'] === null)) return { code, message: str(body['message']), fields: body };
  const failed = error === true || (isJsonObject(error) && Object.keys(error).length > 0) || body['type'] === 'error' || body['success'] === false || body['valid'] === false;
  if (failed) {
    const said = isJsonObject(error) ? error : {};
    return { code: undefined, message: str(body['message']) ?? str(said['message']) ?? str(body['reason']) ?? str(said['reason']), fields: { ...body, ...said } };
  }
  return undefined;
}

/**
 * True when `value` is an MPL peer's error reply in any of the forms listed on {@link WireError}.
 *
 * @example
 * const body = await response.json();
 * if (isWireError(body)) throw errorFromWire(body, { status: response.status });
 */
export function isWireError(value: unknown): value is WireError {
  return wireErrorParts(value) !== undefined;
}

/** `Schema error at /start: msg`, `/start: msg`, `"": msg` or an object with a path, as a validation issue. */
function toIssue(detail: unknown): ValidationIssue {
  if (isJsonObject(detail)) {
    const path = str(detail['path']) ?? str(detail['instance_path']) ?? str(detail['instancePath']) ?? str(detail['pointer']) ?? str(detail['field']) ?? '';
    return { path, message: String(detail['message'] ?? detail['error'] ?? JSON.stringify(detail)), keyword: String(detail['keyword'] ?? 'server') };
  }
  const text = String(detail);
  // The proxy writes `Schema error at <pointer>: <message>`, the pointer unescaped (a key may hold white space).
  const proxy = /^Schema error at (|\/.*?): (.*)$/s.exec(text) ?? /^Schema error at (\/\S*|)\s*: ?(.*)$/s.exec(text);
  if (proxy) return { path: proxy[1]!, message: proxy[2]!, keyword: 'server' };
  const m = /^(\/[^\s:]*|"")\s*:\s*(.*)$/s.exec(text);
  return m ? { path: m[1] === '""' ? '' : m[1]!, message: m[2]!, keyword: 'server' } : { path: '', message: text, keyword: 'server' };
}

/** Every validation detail the error lists, under any of the names peers use. */
function issuesOf(f: Obj, details: unknown): ValidationIssue[] {
  let lists = [details, f['validation_errors'], f['errors']].filter(Array.isArray) as unknown[][];
  if (lists.length === 0 && typeof details === 'string') return [toIssue(details)];
  // Listed inside an object `details` ({"details": {"validation_errors": […]}}): read there when not beside it (then it is the same list).
  if (lists.length === 0 && isJsonObject(details)) lists = [details['validation_errors'], details['errors'], details['issues']].filter(Array.isArray) as unknown[][];
  return lists.flat().map(toIssue);
}

/** metric, expected, actual and profile of a QoM breach, from any of its layouts. */
function breachOf(f: Obj, d: Obj): { metric: string; expected: number; actual: number | undefined; profile: string } {
  const profile = str(d['profile']) ?? str(f['profile']) ?? 'unknown';
  const listed = [d['failed_metrics'], f['violations'], d['violations'], d['failures'], f['failures']].find((l) => Array.isArray(l) && isJsonObject(l[0])) as Obj[] | undefined;
  const first = listed?.[0] ?? d;
  const expected = num(first['expected']) ?? num(first['required']) ?? num(first['threshold']);
  let metric = str(first['metric']);
  let actual = num(first['actual']);
  let threshold = expected;
  const metrics = isJsonObject(d['metrics']) ? d['metrics'] : undefined;
  const thresholds = isJsonObject(d['thresholds']) ? d['thresholds'] : undefined;
  if (metric === undefined && metrics && thresholds) {
    // `{"metrics":{…},"thresholds":{…}}`: the first metric below its threshold.
    for (const [name, min] of Object.entries(thresholds)) {
      const value = num(metrics[name]);
      if (typeof min === 'number' && (value === undefined || value < min)) {
        metric = name; actual = value; threshold = min;
        break;
      }
    }
  }
  return { metric: metric ?? 'unknown', expected: threshold ?? Number.NaN, actual, profile };
}

function negotiationOf(f: Obj, d: Obj, message: string): { reason: string; clientStypes: string[]; serverStypes: string[] } {
  return {
    reason: str(d['reason']) ?? str(f['reason']) ?? message,
    clientStypes: strings(d['client_stypes'] ?? f['client_stypes']),
    serverStypes: strings(d['server_stypes'] ?? f['server_stypes']),
  };
}

/**
 * Details worth keeping beyond the class's own fields: hints, remediation, policy and rule,
 * beside the code or inside its `details` (where this SDK's server and upstream's error
 * type put them), and the SType and request it names.
 */
function extrasOf(f: Obj, d: Obj): Obj {
  const out: Obj = {};
  for (const key of ['hints', 'remediation', 'policy', 'rule']) if ((f[key] ?? d[key]) !== undefined) out[key] = f[key] ?? d[key];
  for (const key of ['stype', 'in_reply_to']) if (f[key] !== undefined) out[key] = f[key];
  return out;
}

/**
 * The `MplError` subclass an error reply's code names, carrying what the body says: a
 * `SchemaFidelityError` with the server's paths, a `QomBreachError` with metric, expected,
 * actual and profile, a `HashMismatchError` with both hashes, a `NegotiationError` with the
 * reason and both SType lists, a `PolicyDeniedError` with its remediation, and so on. Every
 * error keeps the body in `details.server` and the peer's code in `details.serverCode`;
 * JSON-RPC errors are `E-JSON-RPC` with `details.jsonRpcCode` (or the class of an MPL
 * error in their `data`); an unknown code stays an `MplError` with that code; an error
 * without a code is `E-PEER-ERROR`. Returns `undefined` when the body is not an error reply.
 *
 * @example
 * const error = readWireError(JSON.parse(frame), { stype: 'org.calendar.Event.v1' });
 * if (error) throw error;
 */
export function readWireError(body: unknown, context: WireErrorContext = {}): MplError | undefined {
  const error = wireErrorParts(body);
  return error === undefined ? undefined : errorOf(error, body as Obj, context);
}

/**
 * Turns a peer's error reply into the matching `MplError` subclass (see {@link readWireError});
 * a body that is no error reply at all becomes an `E-PEER-ERROR` holding it.
 *
 * @example
 * const err = errorFromWire({ error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['Schema error at /start: not a date-time'] }, { stype });
 */
export function errorFromWire(body: WireError, context: WireErrorContext = {}): MplError {
  return readWireError(body, context) ?? errorOf({ code: undefined, message: undefined, fields: body }, body, context);
}

function errorOf({ code, message, fields: f }: Said, body: Obj, context: WireErrorContext): MplError {
  const rawDetails = f['details'] ?? f['data'];
  const d: Obj = isJsonObject(rawDetails) ? rawDetails : {};
  const details: Obj = {
    server: body,
    ...(code === undefined ? {} : { serverCode: code }),
    ...(context.status === undefined ? {} : { status: context.status }),
    ...(context.endpoint === undefined ? {} : { endpoint: context.endpoint }),
    ...extrasOf(f, d),
  };
  const serverMessage = message ?? (typeof code === 'string' ? code : 'the peer reported an error');
  const stype = context.stype ?? str(f['stype']) ?? '(unknown SType)';
  if (typeof code === 'number' || (code === undefined && body['jsonrpc'] === '2.0')) return jsonRpcErrorOf(code, message, f['data'], details, context);
  switch (code) {
    case ErrorCode.SchemaFidelity: {
      const issues = issuesOf(f, rawDetails);
      return new SchemaFidelityError(stype, issues, {
        message: `Server rejected ${stype}: ${serverMessage}${issues.length ? ` (${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')})` : ''}`,
        details,
      });
    }
    case ErrorCode.QomBreach:
      return new QomBreachError({ ...breachOf(f, d), message: `Server reported a QoM breach: ${serverMessage}` }, { details });
    case ErrorCode.HandshakeFailed:
    case 'E-NEGOTIATION-FAILED':
    case 'E-NEGOTIATION-INCOMPATIBLE':
      return new NegotiationError({ ...negotiationOf(f, d, serverMessage), message: `AI-ALPN negotiation failed: ${code}: ${serverMessage}` }, { details });
    case ErrorCode.UnknownStype:
    case ErrorCode.StypeNotNegotiated:
      return new UnknownStypeError(stype, 'the server', { message: `Server does not accept ${stype} (${code}): ${serverMessage}`, details });
    case ErrorCode.HashMismatch:
    case 'E-SEMANTIC-HASH-MISMATCH':
      return new HashMismatchError({
        expected: str(f['expected_hash']) ?? str(d['expected_hash']) ?? str(d['expected']) ?? '',
        actual: str(f['actual_hash']) ?? str(d['actual_hash']) ?? str(d['actual']) ?? '',
        message: `Server reported a hash mismatch: ${serverMessage}`,
      }, { details });
    case ErrorCode.ConnectionFailed:
      return new ConnectionError(`Server reported a connection failure: ${serverMessage}`, { ...(context.endpoint === undefined ? {} : { endpoint: context.endpoint }), details });
    case ErrorCode.Timeout:
      return new TimeoutError(`server: ${serverMessage}`, num(d['timeout_ms']) ?? 0, { details });
    case ErrorCode.PolicyDenied:
      return new PolicyDeniedError(`Server denied the request: ${serverMessage}`, { details });
    case undefined: {
      const issues = issuesOf(f, undefined);
      if (issues.length > 0 && (body['valid'] === false || /schema|validat/i.test(serverMessage))) {
        return new SchemaFidelityError(stype, issues, { message: `Server rejected ${stype}: ${serverMessage}`, details });
      }
      return new MplError(ErrorCode.PeerError, `Server error: ${serverMessage}`, { details });
    }
    default:
      return new MplError(code, `Server error ${code}: ${serverMessage}`, { details });
  }
}

/** A JSON-RPC error: an MPL error in its `data` becomes that class; anything else is `E-JSON-RPC`. */
function jsonRpcErrorOf(code: number | undefined, message: string | undefined, data: unknown, details: Obj, context: WireErrorContext): MplError {
  const rpc: Obj = { jsonRpcCode: code, jsonRpcMessage: message, ...(data === undefined ? {} : { data }) };
  const inner = readWireError(data, context);
  if (inner) {
    Object.assign(inner.details, rpc);
    return inner;
  }
  const said = typeof message === 'string' ? message : JSON.stringify(message ?? null);
  return new MplError(ErrorCode.JsonRpc, `${context.operation ?? 'request'} failed: JSON-RPC error ${String(code)}: ${said}`, { details: { ...details, ...rpc } });
}
