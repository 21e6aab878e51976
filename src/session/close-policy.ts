/**
 * How a WebSocket link was closed, as the close event tells it. Given to `reconnect.shouldReconnect`.
 *
 * @example
 * const shouldReconnect = ({ code, reason }: CloseInfo): boolean => {
 *   if (code === 4001) console.warn(`refused: ${reason}`);
 *   return defaultShouldReconnect({ code, reason }); // false for 1003, 1008 and 4000–4999
 * };
 */
export interface CloseInfo {
  /** The close code (1008 policy violation, 4xxx application codes, …). */
  code: number;
  /** The close reason the server gave (may be empty). */
  reason: string;
}

/**
 * The default reconnection rule: a server that closes with 1003 (unsupported data), 1008
 * (policy violation) or an application code 4000–4999 refuses deliberately, so the session
 * stops instead of fighting it. Every other close (1000, 1001, 1006, 1011, …) reconnects.
 *
 * @example
 * new Session({ endpoint, reconnect: { shouldReconnect: (info) => info.code === 4001 || defaultShouldReconnect(info) } });
 */
export function defaultShouldReconnect(info: CloseInfo): boolean {
  return !(info.code === 1003 || info.code === 1008 || (info.code >= 4000 && info.code <= 4999));
}
