import { keepName } from '../platform/class-name.ts';
import type { ErrorCode } from './codes.ts';

const BRAND = Symbol.for('mpl-sdk.error');

/**
 * Options every MPL error accepts.
 *
 * @example
 * throw new MplError('E-MY-APP', 'Quota exceeded', { details: { quota: 100 }, cause: original });
 */
export interface MplErrorOptions {
  /** Structured context: the SType, endpoint, server details… Serialized by `toJSON()`. */
  details?: Record<string, unknown>;
  /** The underlying error (a socket error, a fetch failure…). */
  cause?: unknown;
}

/**
 * The base of every error this SDK throws: a stable `code`, a message a person can act
 * on, structured `details` and the underlying `cause`.
 *
 * `instanceof` works as usual (prototypes included: `SchemaFidelityError.prototype
 * instanceof MplError`) and across two copies of the SDK (two bundles, an iframe), where
 * it looks at a brand and at the class names on the prototype chain.
 *
 * @example
 * try { await session.send('org.calendar.Event.v1', payload); }
 * catch (e) { if (e instanceof MplError) console.error(e.code, e.details); }
 */
export class MplError extends Error {
  /**
   * Stable machine-readable code, e.g. `E-SCHEMA-FIDELITY`: one of {@link ErrorCode} (which
   * editors offer), or a code a peer sent that this SDK does not know (kept as it came).
   */
  readonly code: ErrorCode | (string & {});
  /** Structured context for the caller. */
  readonly details: Record<string, unknown>;
  declare readonly cause?: unknown;

  constructor(code: string, message: string, options: MplErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /**
   * The prototype chain first, as `instanceof` always does (so `SubClass.prototype
   * instanceof MplError` holds); then, for another copy of the SDK, the brand every
   * MplError prototype carries and a class of the same name on the chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    const own: unknown = this.prototype;
    if (!Object.hasOwn(own as object, 'name')) return false; // an unnamed subclass: no name to recognise it by
    const wanted = (own as { name: unknown }).name;
    for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
      if (Object.hasOwn(p, 'name') && p.name === wanted) return true;
    }
    return false;
  }

  /** A plain object for logs and wire replies: `{name, code, message, details, cause}`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message, details: this.details };
    if (this.cause !== undefined) {
      out['cause'] = this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause;
    }
    return out;
  }
}

/** Names an error class (and its prototype, so `name` and cross-copy `instanceof` agree). */
export function nameErrorClass(cls: { prototype: Error }, name: string): void {
  keepName(cls, name);
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

nameErrorClass(MplError, 'MplError');
Object.defineProperty(MplError.prototype, BRAND, { value: true });

/**
 * True for any error thrown by any copy of this SDK.
 *
 * @example
 * catch (e) { if (isMplError(e)) log(e.code, e.details); else throw e; }
 */
export function isMplError(value: unknown): value is MplError {
  return value instanceof MplError;
}
