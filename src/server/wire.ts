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

/**
 * An answer the server writes itself: what a web Response would hold, without one. The
 * web path makes it a Response (`toResponse`); the Node adapter writes it to node:http
 * directly (a Response costs a stream to build and another to read back).
 */
export interface PlainAnswer {
  readonly kind: 'plain';
  readonly status: number;
  /** Plain names and values (the adapter may add to them: CORS). */
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

/** What an HTTP request is answered with: the server's own answer, or a Response (from `routes`, the upstream). */
export type HttpAnswer = PlainAnswer | Response;

/** Whether an answer is the server's own (not a Response): a mark, as the two may come from two copies of this module. */
export const isPlain = (answer: HttpAnswer): answer is PlainAnswer => (answer as Partial<PlainAnswer>).kind === 'plain';

/** The web Response of an answer. */
export function toResponse(answer: HttpAnswer): Response {
  return isPlain(answer) ? new Response(answer.body, { status: answer.status, headers: answer.headers }) : answer;
}

/** A JSON answer with optional headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): PlainAnswer {
  return jsonText(status, JSON.stringify(body), headers);
}

/** An answer of JSON text already written. */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}): PlainAnswer {
  return { kind: 'plain', status, headers: { 'content-type': 'application/json', ...headers }, body: text };
}

/** A plain-text answer (the proxy answers an unreadable hello 422 with one). */
export function text(status: number, body: string, headers: Record<string, string> = {}): PlainAnswer {
  return { kind: 'plain', status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

/** An answer with no body. */
export function empty(status: number): PlainAnswer {
  return { kind: 'plain', status, headers: {}, body: null };
}
