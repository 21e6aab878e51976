// The words of a failed connection, as both transports report it: any realm's error read
// as one, and a TLS endpoint (wss://, https://) whose server answered in plain text (the
// most common mix-up of a local setup, which runtimes report in their TLS library's own words).

/**
 * Whether `error` is an error of any realm: `instanceof Error` fails for one made outside
 * the caller's (Node's own errors in Jest's or Vitest's vm sandbox, a frame's), whose
 * message then went unsaid.
 * @internal
 */
export const isErrorLike = (error: unknown): error is Error =>
  typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' && typeof (error as { name?: unknown }).name === 'string';

/** What Node (OpenSSL), Bun (BoringSSL) and Deno (rustls) say when a plain server answers a TLS hello. */
const PLAIN_ANSWER = /wrong[ _]version[ _]number|InvalidContentType|Does the server speak TLS/i;

/** OpenSSL's error line (`80EC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/…:350:`), by its reason. */
const OPENSSL_LINE = /[0-9A-Fa-f]+:error:[0-9A-Fa-f]+:SSL routines:[^:\n]*:([^:\n]+):[^\n]*\n?/g;

/**
 * `text` (a runtime's words for a failed connection) with OpenSSL's error lines cut to
 * their reason (`TLS: wrong version number`).
 * @internal
 */
export const tidyTlsText = (text: string): string => (text.includes('SSL routines') ? text.replace(OPENSSL_LINE, 'TLS: $1').trim() : text);

/**
 * `; <endpoint> …: use ws://…` when `endpoint` is wss:// or https:// and the failure says
 * that the server answered the TLS hello in plain text; else empty.
 * @internal
 */
export function plainServerHint(endpoint: string, failure: string): string {
  const plain = /^wss:/i.test(endpoint) ? endpoint.replace(/^wss:/i, 'ws:') : /^https:/i.test(endpoint) ? endpoint.replace(/^https:/i, 'http:') : undefined;
  if (plain === undefined || !PLAIN_ANSWER.test(failure)) return '';
  return `; the server there does not speak TLS: if it serves plain text, use ${plain}`;
}
