/**
 * One HTTP request as the server reads it: from a web-standard Request (`webIn`), or from
 * what a runtime hands its adapter, read without building one (the Node adapter's: a
 * Request costs a stream over the body, and its answer another to read back).
 * @internal
 */
export interface HttpIn {
  readonly method: string;
  /** The request's path, as `new URL(request.url).pathname` says it. */
  readonly pathname: string;
  /** A header's value, as `Headers.get` gives it (`name` in lower case). */
  header(name: string): string | null;
  /** Whether the client went away before the answer. */
  readonly gone: boolean;
  /**
   * Calls `onGone` with the reason (as the web Request's `signal` gives it) when the client
   * goes away before the answer; returns the function that forgets it. (No AbortSignal of
   * its own: one costs more than a small envelope's checks, in Node.)
   */
  whenGone(onGone: (reason: unknown) => void): () => void;
  /**
   * The body as text: 413 when it is larger than `limit` bytes, 408 when it has not all
   * come within `timeoutMs` (a client that stops sending would hold its turn forever).
   */
  text(limit: number, timeoutMs: number): Promise<string | 408 | 413>;
  /**
   * The web-standard Request, for `routes`, the upstream and a handler's `ctx.request`:
   * built on first ask where the runtime gave none. Once the server has read the body,
   * one whose body is that text (readable again).
   */
  request(): Request;
}

/**
 * How much of a body over the limit is still read (and dropped) before the answer, as a
 * multiple of the limit: a client still sending when the 413 comes back sees the reset
 * instead of the answer in some runtimes (workerd). Past this, the body is cut off.
 */
export const DRAIN_FACTOR = 4;

/**
 * A web-standard Request as the server reads it. Once the server has read its body, the
 * Request handed on (`request()`) is a copy that holds that text as its body, so a handler
 * or the upstream can still read it, in every runtime alike.
 */
export function webIn(request: Request): HttpIn {
  let read: string | undefined;
  let copy: Request | undefined;
  return {
    method: request.method,
    pathname: new URL(request.url).pathname,
    header: (name) => request.headers.get(name),
    get gone() {
      return request.signal.aborted;
    },
    whenGone(onGone) {
      const signal = request.signal;
      if (signal.aborted) {
        onGone(signal.reason);
        return () => {};
      }
      const listener = (): void => onGone(signal.reason);
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
    async text(limit, timeoutMs) {
      const text = await readBody(request, limit, timeoutMs);
      if (typeof text === 'string') read = text;
      return text;
    },
    request: () => (read === undefined ? request : (copy ??= new Request(request, { body: read }))),
  };
}

/**
 * Whether a body of known length within the limit is read with `Request.text()` rather than
 * chunk by chunk: in Bun, where that took the server's CPU per request to 0.71× and 0.76×
 * (A/B, a small envelope); not in Deno, where it came to 1.07×, nor in workerd (0.98×, no
 * difference), nor elsewhere.
 */
const WHOLE_TEXT = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

/** `HttpIn.text` of a web Request: its body stream read under the limits. */
async function readBody(request: Request, limit: number, timeoutMs: number): Promise<string | 408 | 413> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit * DRAIN_FACTOR) return 413;
  if (request.body === null) return '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    if (WHOLE_TEXT && declared > 0 && declared <= limit) { // its length known and within the limit: read whole
      const text = await Promise.race([request.text(), late]);
      return text === 'late' ? 408 : text;
    }
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const read = await Promise.race([reader.read(), late]);
      if (read === 'late') {
        reader.cancel().catch(() => {});
        return 408;
      }
      if (read.done) break;
      size += read.value.byteLength;
      if (size > limit * DRAIN_FACTOR) {
        reader.cancel().catch(() => {});
        return 413;
      }
      if (size <= limit) chunks.push(read.value);
    }
    return size > limit ? 413 : utf8(chunks, size);
  } finally {
    clearTimeout(timer);
  }
}

/** The text of a body's chunks (`size` bytes in all). */
export function utf8(chunks: readonly Uint8Array[], size: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(bytes);
}

const decoder = new TextDecoder();
