/**
 * The little a session needs of a WebSocket, whatever the runtime: each adapter wraps its
 * runtime's socket in one.
 *
 * @example
 * const socket: ServerSocket = { send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason) };
 */
export interface ServerSocket {
  /** Sends one frame: text, or binary (an echoed binary frame). */
  send(data: string | Uint8Array<ArrayBuffer>): void;
  /** Starts the closing handshake with this code and reason. */
  close(code: number, reason: string): void;
  /** Cuts the connection without a closing handshake, where the runtime can (Node's `ws`). */
  terminate?(): void;
  /**
   * Bytes sent but not yet handed to the network, where the runtime says (`bufferedAmount`):
   * past `limits.maxBufferedBytes` the peer is taken for one that does not read, and cut off.
   */
  buffered?(): number;
  /**
   * Whether frames sent now still reach the peer, where the runtime says (`readyState` is
   * OPEN): a peer that sent its close frame but keeps the connection is closing, and a push
   * to it would be dropped by the runtime without a word. The session is closed then.
   */
  isOpen?(): boolean;
  /**
   * The socket outlives the memory of what serves it (a Durable Object's hibernation API):
   * its session then sets no timer, which would keep the object awake. A session quiet
   * past `limits.helloTimeoutMs` with no handshake is closed when a newcomer needs its place.
   */
  hibernates?: boolean;
}

/**
 * Close codes the server uses (RFC 6455 §7.4.1).
 *
 * @example
 * socket.addEventListener('close', (event) => { if (event.code === CloseCode.MessageTooBig) console.warn('frame too large'); });
 */
export const CloseCode = {
  GoingAway: 1001,
  UnsupportedData: 1003,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
} as const;

/** The reason a session closed for a frame over `limits.maxFrameBytes` gives (with {@link CloseCode.MessageTooBig}). @internal */
export const tooLargeReason = (maxFrameBytes: number): string => `frame larger than ${maxFrameBytes} bytes`;
