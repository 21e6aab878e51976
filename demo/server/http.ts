import type { IncomingMessage, ServerResponse } from 'node:http';
import { semanticHash } from 'mpl-sdk';
import { answerPreflight, setCorsHeaders } from './cors.ts';
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control.ts';
import { looksLikeEnvelope } from './inspect.ts';
import type { RecordedMessage } from './options.ts';
import type { ReferencePeer } from './peer.ts';
import { readBody, sendJson } from './respond.ts';
import { serveFile, staticFileFor } from './static-files.ts';
import { InvalidToolArguments, TOOLS } from './tools.ts';

type Json = Record<string, unknown>;

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function mplHeaders(meta: { stype?: string; profile?: string | undefined; semHash?: string | undefined; qomPassed: boolean }): Record<string, string> {
  const headers: Record<string, string> = { 'X-MPL-QoM-Result': meta.qomPassed ? 'pass' : 'fail' };
  if (meta.stype) headers['X-MPL-SType'] = meta.stype;
  if (meta.profile) headers['X-MPL-Profile'] = meta.profile;
  if (meta.semHash) headers['X-MPL-Sem-Hash'] = meta.semHash;
  return headers;
}

/** The HTTP side of the reference server. */
export class HttpEndpoint {
  /** `control`: what the test-control endpoint acts on; without it `/__control/*` is 404. */
  constructor(private readonly peer: ReferencePeer, private readonly log: (line: string) => void, private readonly control?: ControlTarget) {}

  /** node:http's `request` handler. Never throws: a failure becomes a 500 and a log line. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    setCorsHeaders(res);
    this.route(req, res).catch((error: unknown) => {
      console.error('reference server: request failed:', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'E-INTERNAL', message: (error as Error).message });
      else res.destroy();
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://localhost');
    this.log(`${method} ${pathname}`);
    if (method === 'OPTIONS') return answerPreflight(req, res);
    if (pathname.startsWith(CONTROL_PREFIX)) {
      if (!this.control) return sendText(res, 404, 'Not Found (the test-control endpoint is off)');
      return handleControl(req, res, pathname, searchParams, this.control);
    }
    if (method === 'GET' || method === 'HEAD') {
      if (pathname === '/health') return sendJson(res, 200, { status: 'healthy', version: this.peer.capabilities()['version'] });
      if (pathname === '/capabilities') return sendJson(res, 200, this.peer.capabilities());
      const file = staticFileFor(pathname);
      if (file === null) return sendText(res, 403, 'Forbidden: path outside the served folders');
      if (file !== undefined) return serveFile(res, file, method);
      return sendText(res, 404, 'Not Found');
    }
    if (method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
    const text = await readBody(req);
    if (text === undefined) return sendText(res, 413, 'Payload Too Large');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendText(res, 400, 'Failed to parse the request body as JSON');
    }
    if (pathname === '/.well-known/ai-alpn') return this.handshake(res, pathname, body);
    const stypeHeader = req.headers['x-mpl-stype'];
    const declared = Array.isArray(stypeHeader) ? stypeHeader[0] : stypeHeader;
    if (looksLikeEnvelope(body)) return this.envelope(res, pathname, body);
    if ((body as Json | null)?.['jsonrpc'] === '2.0') return this.jsonRpc(res, pathname, body as Json, declared);
    if (declared) return this.bareJson(res, pathname, body, declared);
    this.record({ kind: 'bare-json', path: pathname, wire: body, valid: false, hashOk: undefined, errors: ['no SType declared'], blocked: false });
    return sendJson(res, 200, { type: 'passthrough', message: text });
  }

  private record(entry: Omit<RecordedMessage, 'at' | 'transport'>): void {
    this.peer.record({ transport: 'http', ...entry });
  }

  private handshake(res: ServerResponse, path: string, body: unknown): void {
    const answer = this.peer.answerHello(body);
    this.record({ kind: 'hello', path, wire: body, valid: answer.ok, hashOk: undefined, errors: answer.ok ? [] : [answer.problem], blocked: !answer.ok });
    if (!answer.ok) return sendText(res, 422, `Failed to deserialize the JSON body into the target type: ${answer.problem}`);
    sendJson(res, 200, answer.reply);
  }

  private async envelope(res: ServerResponse, path: string, body: Json): Promise<void> {
    const outcome = await this.peer.handleEnvelope(body, undefined);
    const { inspection } = outcome;
    this.record({ kind: 'envelope', path, wire: body, valid: outcome.valid, hashOk: inspection.hashOk, errors: inspection.errors, blocked: outcome.blocked });
    if (outcome.blocked) {
      const { error, details } = outcome.reply;
      return sendJson(res, 400, { error, message: 'Request validation failed', details }, mplHeaders(outcome.meta));
    }
    if (this.peer.replies === 'id-less') {
      // The proxy hands back whatever its upstream said; this upstream answers with bare JSON.
      return sendJson(res, 200, (outcome.reply as { payload: unknown }).payload, mplHeaders(outcome.meta));
    }
    sendJson(res, 200, outcome.reply, mplHeaders(outcome.meta));
  }

  private async bareJson(res: ServerResponse, path: string, body: unknown, stype: string): Promise<void> {
    const check = await this.peer.checkPayload(stype, body);
    const blocked = !check.valid && this.peer.mode === 'production';
    this.record({ kind: 'bare-json', path, wire: body, valid: check.valid, hashOk: undefined, errors: check.errors, blocked });
    if (blocked) return sendJson(res, 400, { error: check.code, message: 'Request validation failed', details: check.errors });
    sendJson(res, 200, body, mplHeaders({ stype, semHash: await semanticHash(body), qomPassed: check.valid }));
  }

  private async jsonRpc(res: ServerResponse, path: string, body: Json, declared: string | undefined): Promise<void> {
    const id = body['id'] ?? null;
    const rpcError = (code: number, message: string, data?: unknown, headers: Record<string, string> = {}) =>
      sendJson(res, 200, { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } }, headers);
    const record = (valid: boolean, errors: string[], blocked = false) => this.record({ kind: 'json-rpc', path, wire: body, valid, hashOk: undefined, errors, blocked });
    if (body['method'] === 'tools/list') {
      record(true, []);
      return sendJson(res, 200, { jsonrpc: '2.0', id, result: { tools: Object.entries(TOOLS).map(([name, t]) => ({ name, description: t.description, ...(t.argsStype ? { args_stype: t.argsStype } : {}) })) } });
    }
    if (body['method'] !== 'tools/call') {
      record(false, [`unknown method ${String(body['method'])}`]);
      return rpcError(-32601, `Method not found: ${String(body['method'])}`);
    }
    const params = (body['params'] ?? {}) as Json;
    const name = params['name'];
    if (typeof name !== 'string') {
      record(false, ['params.name must be a string']);
      return rpcError(-32602, 'Invalid params: `name` must be a string');
    }
    const tool = TOOLS[name];
    if (!tool) {
      record(false, [`unknown tool ${name}`]);
      return rpcError(-32601, `Tool not found: ${name}`);
    }
    const args = params['arguments'] ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      record(false, ['arguments must be an object']);
      return rpcError(-32602, 'Invalid params: `arguments` must be an object');
    }
    const stype = declared ?? tool.argsStype;
    let qomPassed = true;
    if (stype) {
      const check = await this.peer.checkPayload(stype, args);
      qomPassed = check.valid;
      if (!check.valid) {
        const headers = mplHeaders({ stype, qomPassed: false });
        if (this.peer.mode === 'production' && declared) {
          record(false, check.errors, true);
          return sendJson(res, 400, { error: check.code, message: 'Request validation failed', details: check.errors }, headers);
        }
        record(false, check.errors);
        return rpcError(-32602, `Invalid params: arguments do not match ${stype}`, { stype, details: check.errors }, headers);
      }
    }
    let structured: unknown;
    try {
      structured = tool.run(args as Json);
    } catch (error) {
      if (!(error instanceof InvalidToolArguments)) throw error;
      record(false, error.problems);
      return rpcError(-32602, `Invalid params: ${error.message}`, { details: error.problems });
    }
    record(true, []);
    const result = { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured, isError: false };
    sendJson(res, 200, { jsonrpc: '2.0', id, result }, mplHeaders({ ...(stype ? { stype } : {}), semHash: await semanticHash(structured), qomPassed }));
  }
}
