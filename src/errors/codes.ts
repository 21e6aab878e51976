// The codes of every error the SDK throws.

/**
 * Stable error codes. The first eight are shared by every MPL SDK and appear on the
 * wire (`{"error": "E-SCHEMA-FIDELITY", …}`); the rest are this SDK's own, for input
 * that never reached a peer.
 *
 * @example
 * catch (e) {
 *   if (e instanceof MplError && e.code === ErrorCode.Timeout) retryLater();
 * }
 */
export const ErrorCode = {
  SchemaFidelity: 'E-SCHEMA-FIDELITY',
  QomBreach: 'E-QOM-BREACH',
  HandshakeFailed: 'E-HANDSHAKE-FAILED',
  UnknownStype: 'E-UNKNOWN-STYPE',
  HashMismatch: 'E-HASH-MISMATCH',
  ConnectionFailed: 'E-CONNECTION-FAILED',
  Timeout: 'E-TIMEOUT',
  PolicyDenied: 'E-POLICY-DENIED',
  /** An SType string that breaks the naming rules. */
  InvalidStype: 'E-INVALID-STYPE',
  /** A frame or object that is not a well-formed envelope or handshake message. */
  InvalidEnvelope: 'E-INVALID-ENVELOPE',
  /** A value with no canonical form (NaN, a cycle, a lone surrogate…). */
  NonCanonical: 'E-NON-CANONICAL',
  /** A registry that cannot be read, or serves something that is not a schema. */
  Registry: 'E-REGISTRY',
  /** The WebAssembly hasher could not be loaded. */
  WasmLoad: 'E-WASM-LOAD',
  /** A part of the SDK loaded on first use (a file beside the bundle) could not be loaded: an offline page, a deployment without it; `details.module` names it. */
  ModuleLoad: 'E-MODULE-LOAD',
  /** A call the SDK refuses in its current state or with these arguments. */
  InvalidArgument: 'E-INVALID-ARGUMENT',
  /** The server answered a JSON-RPC error; its code is in `details.jsonRpcCode`. */
  JsonRpc: 'E-JSON-RPC',
  /** A tool ran and reported a failure (`isError: true`). */
  ToolError: 'E-TOOL-ERROR',
  /** A non-2xx HTTP answer that is neither an MPL error body nor a JSON-RPC error. */
  HttpStatus: 'E-HTTP-STATUS',
  /** A peer's error reply that names no `E-…` code (`{"error":"Upstream unreachable"}`). */
  PeerError: 'E-PEER-ERROR',
  /** More arrived than there is room for: pushes before `listen()` past `maxBuffered`; a server's full queue (503); an envelope sent to a server shutting down. */
  Overloaded: 'E-OVERLOADED',
  /** A server failed on a request (a handler threw; the message stays on the server); as the proxy and this SDK's server answer it. */
  Internal: 'E-INTERNAL',
  /**
   * The server selected another QoM profile than the session's `qomProfile`, or none (a name
   * it does not know: often a misspelt one). Reported to `onError` at each handshake; the
   * session goes on under what was selected.
   */
  ProfileNotSelected: 'E-PROFILE-NOT-SELECTED',
  /** An SType the session did not negotiate: a push of it (this SDK's server), a send the peer refuses so (read as an `UnknownStypeError`). */
  StypeNotNegotiated: 'E-STYPE-NOT-NEGOTIATED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
