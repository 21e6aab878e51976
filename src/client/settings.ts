import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { layoutOf, type HashLayout } from '../hashing/hash-layout.ts';
import { redact } from '../session/endpoint.ts';
import { checkOptions, isObject, ofType, type Rule } from '../platform/option-rules.ts';
import { Mode } from './mode.ts';
import type { ClientOptions } from './types.ts';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const MAX_TIMEOUT_MS = 2_147_483_647;

export function invalid(message: string, details: Record<string, unknown> = {}): MplError {
  return new MplError(ErrorCode.InvalidArgument, message, { details });
}

export function checkTimeout(timeoutMs: unknown, where: string): number {
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw invalid(`${where}: timeoutMs must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}`, { timeoutMs });
  }
  return timeoutMs;
}

export function checkRetries(retries: unknown, where: string): number {
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0) {
    throw invalid(`${where}: retry must be a whole number ≥ 0, got ${String(retries)}`, { retry: retries });
  }
  return retries;
}

function readEndpoint(endpoint: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(endpoint));
  } catch (cause) {
    const shown = redact(String(endpoint));
    throw new MplError(ErrorCode.InvalidArgument, `Client endpoint ${JSON.stringify(shown)} is not an absolute URL (e.g. http://127.0.0.1:9443/mcp)`, { cause, details: { endpoint: shown } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`Client endpoint must be http:// or https://, got ${url.protocol} (use a Session for ws://)`, { endpoint: redact(url.href) });
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses every request to such a URL; and the password would be in every error message.
    throw invalid(`Client endpoint ${redact(url.href)} holds credentials (user:password@), which fetch refuses: send them in a header instead (headers: { authorization: … })`, { endpoint: redact(url.href) });
  }
  return url.href;
}

/** A client's options, checked (bad ones throw `E-INVALID-ARGUMENT` here, before anything loads). */
export interface ClientSettings {
  endpoint: string;
  mode: Mode;
  timeoutMs: number;
  getRetries: number;
  postRetries: number;
  hashLayout: HashLayout;
  profileName: string | undefined;
}

/**
 * The Client's options by name: a misspelt one (or the Session's `qomProfile`, which is the
 * Client's `profile`) is refused, not ignored. The values are checked in detail below.
 */
const CLIENT_OPTIONS: Record<string, Rule> = {
  mode: ['Mode.Development or Mode.Production', () => true],
  timeoutMs: ['a number of milliseconds', () => true],
  headers: ['an object of header names and values', isObject],
  fetch: ofType('function'),
  retry: ['a whole number or { limit, post }', () => true],
  registry: ['a registry object', isObject],
  profile: ['a QoM profile name or QomProfile', () => true],
  hashLayout: ["'current' or 'legacy'", () => true],
};

/** Checks a `Client`'s endpoint and options and applies the defaults. */
export function readClientOptions(endpoint: string | URL, options: ClientOptions<Mode>): ClientSettings {
  const href = readEndpoint(endpoint);
  if (typeof options !== 'object') throw invalid(`Client options must be an object, got ${typeof options}`);
  if (Object.hasOwn(options, 'qomProfile')) throw invalid('Client options.qomProfile is the Session\'s name of it: the Client\'s is options.profile', { option: 'options.qomProfile' });
  checkOptions('Client', options, CLIENT_OPTIONS, 'options.');
  const mode = options.mode ?? Mode.Development;
  if (mode !== Mode.Development && mode !== Mode.Production) {
    throw invalid(`Client mode must be Mode.Development or Mode.Production, got ${JSON.stringify(mode)}`, { mode });
  }
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'Client');
  const retry = options.retry ?? {};
  const limit = checkRetries(typeof retry === 'number' ? retry : retry.limit ?? DEFAULT_RETRIES, 'Client');
  const hashLayout = layoutOf(options, 'Client');
  const { profile } = options;
  if (typeof profile === 'string' && profile === '') throw invalid('Client profile: a QoM profile name must not be empty');
  return {
    endpoint: href, mode, timeoutMs, getRetries: limit, postRetries: typeof retry === 'object' && retry.post === true ? limit : 0,
    hashLayout, profileName: typeof profile === 'string' ? profile : profile?.name,
  };
}
