import { isErrorLike } from './failure-text.ts';

// The messages each runtime gives a fetch that never reached the server. ky recognises
// Node's and Deno's, but not Bun's nor workerd's, so retry decisions use this list.
const MESSAGES = [
  'network error', // Chrome
  'Failed to fetch', // Chrome
  'NetworkError when attempting to fetch resource.', // Firefox
  'The Internet connection appears to be offline.', // Safari 16
  'Load failed', // Safari 17+
  'Network request failed', // cross-fetch
  'fetch failed', // Node (undici), Deno
  'terminated', // undici, connection closed mid-body
  'Network connection lost.', // workerd
];
const BUN = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|ConnectionRefused|ConnectionClosed|FailedToOpenSocket)\b|Unable to connect|socket connection was closed/i;

/** True when `error` is a runtime's way of saying a request never got an answer. */
export function isNetworkError(error: unknown): boolean {
  if (!isErrorLike(error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && BUN.test(code)) return true;
  if (MESSAGES.includes(error.message)) return true;
  if (error.message.startsWith('error sending request for url')) return true; // Deno
  return BUN.test(error.message) || (error.name === 'TypeError' && /network|connect/i.test(error.message));
}

/**
 * ky's `retry.shouldRetry` for the network errors it does not recognise itself (Bun's,
 * workerd's come through raw, or as the `cause` of another error): `true` retries them;
 * `undefined` leaves every other error (ky's own included) to ky's default rules.
 *
 * @example
 * await ky.get(url, { retry: { limit: 2, shouldRetry: retryNetworkErrors } });
 */
export function retryNetworkErrors({ error }: { error: Error }): true | undefined {
  if ((error as { isKyError?: unknown }).isKyError === true) return undefined; // ky's own errors (its `isKyError` guard), without loading ky
  return isNetworkError(error) || isNetworkError(error.cause) ? true : undefined;
}
