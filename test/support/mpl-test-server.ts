// A small, real MPL peer for the Session's tests: node:http plus a `ws` server on one
// ephemeral port of 127.0.0.1. Every behaviour the tests need (each handshake variant and
// failure, each reply shape, silence, drops, raw frames) is a switch on `server.behaviour`,
// which tests may change while the server runs; `script` queues exact literals (upstream's
// shapes, test/fixtures/peer-shapes.json) for the next hellos and replies, and
// `POST /__script` does the same over HTTP (CORS open), for the conformance stages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { semanticHash, type HashLayout } from '../../src/hashing/index.ts';

export const SEED_STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];

/** How the server answers a hello. */
export type HandshakeMode =
  | 'ai-alpn-select' | 'ai-alpn-response' | 'ai-alpn-hello-ack' // accept (three names of one reply)
  | 'error' // ai-alpn-error
  | 'silent' // never answers
  | 'garbage' // answers with something that is not AI-ALPN
  | 'wire-error' // answers {"error":"E-HANDSHAKE-FAILED",…} (HTTP: status 400)
  | 'close' // closes the socket (WS) / 500 (HTTP)
  | 'http-422'; // HTTP: plain-text 422, like the proxy for a bad hello

/** How the server answers an envelope. */
export type ReplyMode =
  | 'in-reply-to' | 'correlation-id' | 'parent-id' // full envelopes naming the request
  | 'id-less' // the reference proxy's {"type":"mpl-response",…}
  | 'passthrough' // {"type":"passthrough","message":…}
  | 'error' // {"error":"E-SCHEMA-FIDELITY",…} (HTTP: status 400)
  | 'plain-json' // HTTP: a non-envelope JSON body with X-MPL-SType
  | 'silent'; // never answers

/**
 * One scripted answer: exactly `body` (JSON) or `text`, with `status` over HTTP (default 200).
 * In `body`, the strings $REQUEST_ID, $STYPE, $PAYLOAD, $HASH, $BLAKE3_HASH and $BAD_HASH are replaced
 * by the request's id, SType, payload, the payload's semantic hash (also labelled `blake3:`) and a wrong hash.
 */
export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  text?: string;
}

export interface Behaviour {
  /** Answers for the next hellos, then for the next envelopes, used once each, in order, before any other behaviour. */
  script: { hellos: ScriptedAnswer[]; replies: ScriptedAnswer[] };
  /** HTTP: answer preflights and allow every origin (off: a server without CORS, as the proxy). */
  cors: boolean;
  /** STypes the server has schemas for. */
  stypes: string[];
  handshake: HandshakeMode;
  /** Profile the server selects: the client's first if it has one, else this. */
  requiredProfile: string | null;
  reply: ReplyMode;
  /** Reply with a sem_hash that does not match the payload. */
  corruptHash: boolean;
  /** The layout of reply hashes (a peer built with an older serde_json writes `'legacy'`). Default `'current'`. */
  hashLayout?: HashLayout | undefined;
  /** Put this qom_report on reply envelopes. */
  qomReport?: Record<string, unknown> | undefined;
  /** Replace the reply payload (default: an echo of the request payload). */
  replyPayload?: ((payload: unknown) => unknown) | undefined;
  /** Reply envelopes carry this SType instead of the request's. */
  replyStype?: string | undefined;
  /** HTTP: answer the root /.well-known/ai-alpn with 404 (so the client falls back below the endpoint). */
  rootHandshake404: boolean;
  /** Delay before each reply, ms. */
  replyDelayMs: number;
  /** Replies wait until this settles: a test releases them when it is ready (no race with a delay). */
  replyGate?: Promise<unknown> | undefined;
  /** HTTP: extra response headers on every envelope reply (e.g. `X-MPL-QoM-Result`). */
  replyHeaders?: Record<string, string> | undefined;
}

export interface ReceivedFrame {
  transport: 'ws' | 'http';
  path: string;
  data: unknown;
  headers?: IncomingMessage['headers'];
}

export interface TestServer {
  readonly port: number;
  readonly wsUrl: string;
  readonly httpUrl: string;
  behaviour: Behaviour;
  /** Every message received, parsed, in order (hellos included). */
  readonly received: ReceivedFrame[];
  /** Open WebSocket connections (handshaken or not). */
  readonly sockets: Set<WebSocket>;
  /** Hellos answered with acceptance so far. */
  handshakes: number;
  /** Sends an envelope (hashed) to every connected client; returns its wire form. */
  push(stype: string, payload: unknown, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Sends raw data (text or bytes) to every connected client. */
  sendRaw(data: string | Buffer): void;
  /** Resolves when `n` messages have been received in total. */
  waitForReceived(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when `n` sockets are connected. */
  waitForSockets(n: number, timeoutMs?: number): Promise<void>;
  /** Cuts every WebSocket at the TCP level (no close frame). */
  dropConnections(): void;
  close(): Promise<void>;
}

const BAD_HASH = `b3:${'0'.repeat(64)}`;

/** A scripted answer with its placeholders filled in for `request`. */
export async function fillScript(answer: ScriptedAnswer, request: unknown): Promise<{ status: number; body: unknown }> {
  const env = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const values: Record<string, unknown> = { $REQUEST_ID: env['id'], $STYPE: env['stype'], $PAYLOAD: env['payload'], $BAD_HASH: BAD_HASH };
  const text = JSON.stringify(answer.body ?? null);
  if (text.includes('"$HASH"') || text.includes('"$BLAKE3_HASH"')) values['$HASH'] = await semanticHash(env['payload'] ?? null);
  if (values['$HASH'] !== undefined) values['$BLAKE3_HASH'] = `blake3:${String(values['$HASH']).slice(3)}`;
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string' && Object.hasOwn(values, v)) return values[v];
    if (Array.isArray(v)) return v.map(fill);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return { status: answer.status ?? 200, body: answer.text ?? fill(answer.body) };
}

async function replyEnvelope(b: Behaviour, request: Record<string, unknown>, marker: 'in-reply-to' | 'correlation-id' | 'parent-id'): Promise<Record<string, unknown>> {
  const payload = b.replyPayload ? b.replyPayload(request['payload']) : request['payload'];
  const reply: Record<string, unknown> = { id: randomUUID(), stype: b.replyStype ?? request['stype'], payload, timestamp: new Date().toISOString() };
  if (marker === 'in-reply-to') reply['in_reply_to'] = request['id'];
  if (marker === 'correlation-id') reply['correlation_id'] = request['id'];
  if (marker === 'parent-id') reply['provenance'] = { intent: 'reply', parent_id: request['id'] };
  reply['sem_hash'] = b.corruptHash ? `b3:${'0'.repeat(64)}` : await semanticHash(payload, { hashLayout: b.hashLayout ?? 'current' });
  if (b.qomReport) reply['qom_report'] = b.qomReport;
  return reply;
}

function handshakeReply(b: Behaviour, hello: Record<string, unknown>): unknown {
  const offered = Array.isArray(hello['stypes']) ? (hello['stypes'] as string[]) : [];
  const profiles = Array.isArray(hello['qom_profiles']) ? (hello['qom_profiles'] as string[]) : [];
  switch (b.handshake) {
    case 'error': return { type: 'ai-alpn-error', message: 'No compatible STypes', reason: 'incompatible', server_stypes: b.stypes };
    case 'garbage': return { hello: 'world' };
    case 'wire-error': return { error: 'E-HANDSHAKE-FAILED', message: 'version 2.0 is not supported' };
    default: return {
      type: b.handshake === 'ai-alpn-select' || b.handshake === 'ai-alpn-response' || b.handshake === 'ai-alpn-hello-ack' ? b.handshake : 'ai-alpn-select',
      common_stypes: offered.filter((s) => b.stypes.includes(s)),
      selected_profile: profiles[0] ?? b.requiredProfile,
      extensions: { test_server: true },
    };
  }
}

/** The reply to one envelope, or undefined for silence. `status` for HTTP. */
async function answer(b: Behaviour, request: unknown): Promise<{ body: unknown; status: number; headers?: Record<string, string> } | undefined> {
  if (b.replyDelayMs) await new Promise((r) => setTimeout(r, b.replyDelayMs));
  if (b.replyGate) await b.replyGate;
  const scripted = b.script.replies.shift();
  if (scripted) return fillScript(scripted, request);
  const env = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  switch (b.reply) {
    case 'silent': return undefined;
    case 'id-less': return { status: 200, body: { type: 'mpl-response', stype: env['stype'], validation: { valid: true, schema_valid: true, qom_passed: true }, payload: b.replyPayload ? b.replyPayload(env['payload']) : env['payload'] } };
    case 'passthrough': return { status: 200, body: { type: 'passthrough', message: JSON.stringify(request) } };
    case 'error': return { status: 400, body: { error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['/start: "yesterday" is not a "date-time"', '/attendees/0: "bob" is not a "email"'] } };
    case 'plain-json': return { status: 200, body: { result: { content: [{ type: 'text', text: 'ok' }] }, echoed: env['payload'] }, headers: { 'X-MPL-SType': 'org.agent.TaskResult.v1' } };
    default: return { status: 200, body: await replyEnvelope(b, env, b.reply) };
  }
}

/**
 * `keepReceived: false` (the benches' server) keeps no received frame: `received` stays
 * empty, so a server answering for minutes does not grow its heap with every frame.
 */
export async function startTestServer(overrides: Partial<Behaviour> & { port?: number; keepReceived?: boolean } = {}): Promise<TestServer> {
  const { port: wantedPort = 0, keepReceived = true, ...rest } = overrides;
  const behaviour: Behaviour = { script: { hellos: [], replies: [] }, cors: false, stypes: [...SEED_STYPES], handshake: 'ai-alpn-select', requiredProfile: null, reply: 'in-reply-to', corruptHash: false, rootHandshake404: false, replyDelayMs: 0, ...rest };
  const received: ReceivedFrame[] = [];
  const sockets = new Set<WebSocket>();
  const waiters = new Set<() => void>();
  const notify = (): void => { for (const w of [...waiters]) w(); };
  const record = (frame: ReceivedFrame): void => {
    if (keepReceived) received.push(frame);
    notify();
  };

  const http: Server = createServer((req, res) => void handleHttp(req, res));
  const wss = new WebSocketServer({ server: http });

  const server: TestServer = {
    port: 0, wsUrl: '', httpUrl: '', behaviour, received, sockets, handshakes: 0,
    async push(stype, payload, extra = {}) {
      const env = { id: randomUUID(), stype, payload, sem_hash: await semanticHash(payload), timestamp: new Date().toISOString(), ...extra };
      const text = JSON.stringify(env);
      for (const s of sockets) s.send(text);
      return env;
    },
    sendRaw(data) {
      for (const s of sockets) s.send(data);
    },
    waitForReceived: (n, timeoutMs = 5000) => waitFor(() => received.length >= n, timeoutMs, `${n} received messages (have ${received.length})`),
    waitForSockets: (n, timeoutMs = 5000) => waitFor(() => sockets.size >= n, timeoutMs, `${n} sockets (have ${sockets.size})`),
    dropConnections() {
      for (const s of sockets) s.terminate();
    },
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => { if (done()) { clearTimeout(timer); waiters.delete(check); resolve(); } };
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`test server: timed out waiting for ${what}`)); }, timeoutMs);
      waiters.add(check);
    });
  }

  wss.on('connection', (socket, req) => {
    sockets.add(socket);
    notify();
    socket.on('close', () => { sockets.delete(socket); notify(); });
    socket.on('error', () => {});
    const path = req.url ?? '/';
    // Like the proxy: one reply per frame, in order (a chain per socket).
    let chain: Promise<void> = Promise.resolve();
    socket.on('message', (raw, isBinary) => void (chain = chain.then(async () => {
      if (isBinary) { record({ transport: 'ws', path, data: raw }); return; }
      const text = raw.toString();
      let data: unknown;
      try { data = JSON.parse(text); } catch { data = text; }
      record({ transport: 'ws', path, data });
      const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      if (obj['type'] === 'ai-alpn-hello') {
        const scripted = behaviour.script.hellos.shift();
        if (scripted) { socket.send(JSON.stringify((await fillScript(scripted, obj)).body)); return; }
        if (behaviour.handshake === 'silent') return;
        if (behaviour.handshake === 'close') { socket.close(1011, 'no'); return; }
        const reply = handshakeReply(behaviour, obj);
        if ((reply as { type?: string }).type?.startsWith('ai-alpn-') && (reply as { type: string }).type !== 'ai-alpn-error') server.handshakes++;
        socket.send(JSON.stringify(reply));
        return;
      }
      const reply = await answer(behaviour, data);
      if (reply && socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply.body));
    })));
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    let data: unknown;
    try { data = text ? JSON.parse(text) : undefined; } catch { data = text; }
    const path = req.url ?? '/';
    record({ transport: 'http', path, data, headers: req.headers });
    const pathname = path.split('?')[0]!; // routes by path, as servers do; `path` (recorded) keeps the query
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...(behaviour.cors ? { 'access-control-allow-origin': '*' } : {}), ...headers });
      res.end(payload);
    };
    if (req.method === 'OPTIONS' && behaviour.cors) {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, GET', 'access-control-allow-headers': '*', 'access-control-expose-headers': '*' });
      return void res.end();
    }
    if (req.method !== 'POST') return send(405, 'method not allowed');
    if (pathname === '/__script') {
      const { hellos = [], replies = [], reset = false } = (data ?? {}) as { hellos?: ScriptedAnswer[]; replies?: ScriptedAnswer[]; reset?: boolean };
      if (reset) behaviour.script = { hellos: [], replies: [] };
      behaviour.script.hellos.push(...hellos);
      behaviour.script.replies.push(...replies);
      return send(200, { hellos: behaviour.script.hellos.length, replies: behaviour.script.replies.length });
    }
    if (pathname.endsWith('/.well-known/ai-alpn')) {
      const scripted = behaviour.script.hellos.shift();
      if (scripted) {
        const { status, body } = await fillScript(scripted, data);
        return send(status, body);
      }
      if (pathname === '/.well-known/ai-alpn' && behaviour.rootHandshake404) return send(404, 'not found');
      switch (behaviour.handshake) {
        case 'silent': return; // never answers
        case 'close': return send(500, 'internal error');
        case 'http-422': return send(422, 'Failed to deserialize the JSON body into the target type: missing field `version`');
        default: {
          const reply = handshakeReply(behaviour, (data ?? {}) as Record<string, unknown>);
          if ((reply as { type?: string }).type?.startsWith('ai-alpn-') && (reply as { type: string }).type !== 'ai-alpn-error') server.handshakes++;
          return send(behaviour.handshake === 'error' || behaviour.handshake === 'wire-error' ? 400 : 200, reply);
        }
      }
    }
    const reply = await answer(behaviour, data);
    if (!reply) return; // silent: the request hangs until the client gives up
    send(reply.status, reply.body, { ...reply.headers, ...behaviour.replyHeaders });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(wantedPort, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  Object.assign(server, { port, wsUrl: `ws://127.0.0.1:${port}/ws`, httpUrl: `http://127.0.0.1:${port}/mcp` });
  return server;
}
