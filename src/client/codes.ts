// The Client's own error codes: the public constant, kept apart from the reply reading that
// uses it (src/client/reply.ts), which loads with the Client's first request.
import { ErrorCode } from '../errors/codes.ts';

/**
 * Codes of the Client's own failures (besides the shared `E-*` codes of `ErrorCode`).
 *
 * @example
 * const r = await client.call('math.add', { a: 'x', b: 1 });
 * if (!r.valid && r.error.code === ClientCode.JsonRpc) console.log(r.error.details['jsonRpcCode']); // -32602
 */
export const ClientCode = {
  /** The server answered a JSON-RPC error; its code is in `details.jsonRpcCode`. */
  JsonRpc: ErrorCode.JsonRpc,
  /** The tool ran and reported a failure (`isError: true`). */
  ToolError: ErrorCode.ToolError,
  /** A non-2xx answer that is neither an MPL error body nor a JSON-RPC error. */
  HttpStatus: ErrorCode.HttpStatus,
} as const;
