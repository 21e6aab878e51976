// The shapes the server writes, the reference proxy's unless it was asked for envelopes.

/** An MPL error as the proxy writes it: `{"error": code, "message": …, "details": […]}`. */
export interface WireErrorBody {
  error: string;
  message: string;
  details?: unknown;
  in_reply_to?: string;
}

/** An error the server answers with, and its HTTP status. */
export interface ErrorAnswer {
  kind: 'error';
  status: number;
  body: WireErrorBody;
}

/** Builds an error answer; `details` is left out when empty. */
export function errorAnswer(status: number, error: string, message: string, details?: unknown): ErrorAnswer {
  const body: WireErrorBody = { error, message };
  if (details !== undefined && !(Array.isArray(details) && details.length === 0)) body.details = details;
  return { kind: 'error', status, body };
}

/** The HTTP status of an MPL error code a handler threw. */
export function statusOf(code: string): number {
  switch (code) {
    case 'E-POLICY-DENIED': return 403;
    case 'E-TIMEOUT': return 504;
    case 'E-QOM-BREACH': return 422;
    case 'E-INTERNAL': return 500;
    default: return 400;
  }
}

/** A JSON response with optional headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

/** A response of JSON text already written. */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A plain-text response (the proxy answers an unreadable hello 422 with one). */
export function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
