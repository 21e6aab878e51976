import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import type { Provider } from './config.ts';

/** Which transport a URL calls for. */
export type TransportKind = 'websocket' | 'http';

/** Calls a provider (or returns the plain value). */
export async function provide<T>(value: Provider<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

/** Parses an endpoint URL and tells which transport it needs; throws `E-INVALID-ARGUMENT` for anything else. */
export function parseEndpoint(raw: string): { url: URL; kind: TransportKind } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new MplError(ErrorCode.InvalidArgument, `Session endpoint ${JSON.stringify(redact(raw))} is not a URL`, { cause });
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return { url, kind: 'websocket' };
  if (url.protocol === 'http:' || url.protocol === 'https:') return { url, kind: 'http' };
  throw new MplError(ErrorCode.InvalidArgument, `Session endpoint must be ws://, wss://, http:// or https://, got ${url.protocol}//`, { details: { endpoint: redact(raw) } });
}

/** Adds query parameters to a URL. */
export function withQuery(raw: string, query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return raw;
  const url = new URL(raw);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** A URL safe for messages and logs: no query (tokens live there), no credentials. */
export function redact(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return raw.split('?')[0] ?? raw;
  }
}
