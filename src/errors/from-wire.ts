import { isJsonObject } from '../protocol/json.ts';
import { ErrorCode } from './codes.ts';
import { ConnectionError } from './connection-error.ts';
import { HashMismatchError } from './hash-mismatch-error.ts';
import { MplError } from './mpl-error.ts';
import { NegotiationError } from './negotiation-error.ts';
import { PolicyDeniedError } from './policy-denied-error.ts';
import { QomBreachError } from './qom-breach-error.ts';
import { SchemaFidelityError, type ValidationIssue } from './schema-fidelity-error.ts';
import { TimeoutError } from './timeout-error.ts';
import { UnknownStypeError } from './unknown-stype-error.ts';

/**
 * The error reply of an MPL peer: `{"error": "E-…", "message": …, "details": …}`.
 *
 * @example
 * const body: WireError = { error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['/start: not a date-time'] };
 */
export interface WireError {
  error: string;
  message?: string;
  details?: unknown;
}

/**
 * True when `value` has the shape of a peer's error reply.
 *
 * @example
 * const body = await response.json();
 * if (isWireError(body)) throw errorFromWire(body, { status: response.status });
 */
export function isWireError(value: unknown): value is WireError {
  return isJsonObject(value) && typeof (value as { error?: unknown }).error === 'string' && /^E-[A-Z-]+$/.test((value as { error: string }).error);
}

/** Reads a server detail such as `"/attendees/1/email: not an email"` into a validation issue. */
function toIssue(detail: unknown): ValidationIssue {
  if (typeof detail === 'object' && detail !== null) {
    const d = detail as Record<string, unknown>;
    const path = typeof d['path'] === 'string' ? d['path'] : typeof d['instance_path'] === 'string' ? d['instance_path'] : '';
    return { path, message: String(d['message'] ?? JSON.stringify(d)), keyword: String(d['keyword'] ?? 'server') };
  }
  const text = String(detail);
  const m = /^(\/[^\s:]*|"")\s*:\s*(.*)$/s.exec(text);
  return m ? { path: m[1] === '""' ? '' : m[1]!, message: m[2]!, keyword: 'server' } : { path: '', message: text, keyword: 'server' };
}

/**
 * Turns a peer's error reply into the matching `MplError` subclass, keeping everything the
 * server said in `details.server`.
 *
 * @example
 * const err = errorFromWire({ error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['…'] }, { stype });
 */
export function errorFromWire(body: WireError, context: { stype?: string; endpoint?: string; status?: number } = {}): MplError {
  const serverMessage = body.message ?? body.error;
  const details: Record<string, unknown> = { server: body, ...(context.status === undefined ? {} : { status: context.status }) };
  const stype = context.stype ?? '(unknown SType)';
  const rawDetails = Array.isArray(body.details) ? body.details : body.details === undefined ? [] : [body.details];
  switch (body.error) {
    case ErrorCode.SchemaFidelity:
      return new SchemaFidelityError(stype, rawDetails.map(toIssue), {
        message: `Server rejected ${stype}: ${serverMessage}${rawDetails.length ? ` (${rawDetails.map(String).join('; ')})` : ''}`,
        details,
      });
    case ErrorCode.QomBreach: {
      const d = (typeof body.details === 'object' && body.details !== null ? body.details : {}) as Record<string, unknown>;
      return new QomBreachError({
        metric: String(d['metric'] ?? 'unknown'),
        expected: Number(d['expected'] ?? d['threshold'] ?? Number.NaN),
        actual: typeof d['actual'] === 'number' ? d['actual'] : undefined,
        profile: String(d['profile'] ?? 'unknown'),
        message: `Server reported a QoM breach: ${serverMessage}`,
      }, { details });
    }
    case ErrorCode.HandshakeFailed:
      return new NegotiationError({ reason: serverMessage, clientStypes: [], serverStypes: [] }, { details });
    case ErrorCode.UnknownStype:
      return new UnknownStypeError(stype, 'the server', { message: `Server does not know ${stype}: ${serverMessage}`, details });
    case ErrorCode.HashMismatch: {
      const d = (typeof body.details === 'object' && body.details !== null ? body.details : {}) as Record<string, unknown>;
      return new HashMismatchError({ expected: String(d['expected'] ?? ''), actual: String(d['actual'] ?? ''), message: `Server reported a hash mismatch: ${serverMessage}` }, { details });
    }
    case ErrorCode.ConnectionFailed:
      return new ConnectionError(`Server reported a connection failure: ${serverMessage}`, context.endpoint === undefined ? { details } : { endpoint: context.endpoint, details });
    case ErrorCode.Timeout:
      return new TimeoutError(`server: ${serverMessage}`, Number((body.details as { timeout_ms?: unknown } | undefined)?.timeout_ms ?? 0), { details });
    case ErrorCode.PolicyDenied:
      return new PolicyDeniedError(`Server denied the request: ${serverMessage}`, { details });
    default:
      return new MplError(body.error, `Server error ${body.error}: ${serverMessage}`, { details });
  }
}
