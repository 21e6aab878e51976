import { MplError } from '../errors/mpl-error.ts';
import { jsonOrText } from '../platform/json-or-text.ts';
import { isJsonObject } from '../protocol/json.ts';
import { readWireError } from '../protocol/peer-error.ts';
import { readSemHash } from '../protocol/envelope.ts';
import { qomHeaderVerdict } from '../protocol/peer-reply.ts';
import type { HttpReply } from './http.ts';
import type { CallMeta } from './types.ts';
import { ClientCode } from './codes.ts';

/** What a request came to: the data, or the error production mode throws; and the reply's metadata. */
export type Outcome = { ok: true; data: unknown; meta: CallMeta } | { ok: false; error: MplError; meta: CallMeta };

/** Context for error messages and `readWireError`. */
export interface ReplyContext {
  operation: string;
  endpoint: string;
  stype?: string | undefined;
}

/** An MPL error in any form (JSON-RPC errors included) as its own error class, saying where it came from; `tool` is added to its details. */
export function peerErrorOf(reply: HttpReply, context: ReplyContext, tool?: string): MplError | undefined {
  const error = readWireError(reply.body, { ...context, status: reply.status });
  if (error && tool !== undefined) Object.assign(error.details, { tool });
  return error;
}

/** The metadata of an answer: `X-MPL-*` headers, status, body. */
export function metaOf(reply: HttpReply): CallMeta {
  const mplHeaders: Record<string, string> = {};
  reply.headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith('x-mpl-')) mplHeaders[name.toLowerCase()] = value;
  });
  // `X-MPL-QoM-Result` (the proxy's) and `X-MPL-QoM-Pass` (upstream's MCP guide): any that fails fails; an unreadable one does not pass.
  const said = mplHeaders['x-mpl-qom-result'] !== undefined || mplHeaders['x-mpl-qom-pass'] !== undefined;
  const semHash = mplHeaders['x-mpl-sem-hash'];
  return {
    stype: mplHeaders['x-mpl-stype'],
    qomPassed: !said || qomHeaderVerdict(mplHeaders) === 'pass',
    semHash: semHash === undefined ? undefined : String(readSemHash(semHash)), // `blake3:` is read as `b3:`, the same hash
    profile: mplHeaders['x-mpl-profile'],
    status: reply.status,
    mplHeaders,
    raw: reply.body,
  };
}

/** Metadata of a request that got no answer (or was never sent). */
export function metaOfNoAnswer(stype?: string): CallMeta {
  return { stype, qomPassed: false, semHash: undefined, profile: undefined, status: 0, mplHeaders: {}, raw: undefined };
}

function snippet(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The `E-HTTP-STATUS` of a non-2xx answer already known to carry no MPL error. */
export function httpStatusError(reply: HttpReply, context: ReplyContext): MplError {
  const { body, status } = reply;
  const said = body === undefined ? 'an empty body' : snippet(body);
  const retryAfter = reply.headers.get('retry-after');
  return new MplError(ClientCode.HttpStatus, `${context.operation}: ${context.endpoint} answered HTTP ${status}${reply.statusText ? ` ${reply.statusText}` : ''} with ${said}${retryAfter === null ? '' : ` (Retry-After: ${retryAfter})`}`, {
    details: { status, endpoint: context.endpoint, body, ...(retryAfter === null ? {} : { retryAfter }) },
  });
}

/**
 * The data of an MCP tool result: `structuredContent` when present, else its text content
 * parsed as JSON (several text items give an array), else the result itself.
 */
export function toolData(result: unknown): unknown {
  if (!isJsonObject(result)) return result;
  if (result['structuredContent'] !== undefined) return result['structuredContent'];
  const content = result['content'];
  if (!Array.isArray(content)) return result;
  const texts = content.filter((c): c is { text: string } => isJsonObject(c) && c['type'] === 'text' && typeof c['text'] === 'string');
  if (texts.length === 0) return result;
  const values = texts.map((t) => jsonOrText(t.text));
  return values.length === 1 ? values[0] : values;
}

/** The error of a result the tool itself flagged `isError: true`. */
export function toolError(result: Record<string, unknown>, context: ReplyContext, tool: string): MplError {
  const said = toolData({ ...result, structuredContent: undefined });
  return new MplError(ClientCode.ToolError, `Tool ${tool} reported an error: ${snippet(said)}`, {
    details: { tool, endpoint: context.endpoint, result },
  });
}
