import type { MplServer } from 'mpl-sdk/server';
import { semanticHash } from 'mpl-sdk';
import type { RecordedMessage } from './options.ts';
import { InvalidToolArguments, TOOLS } from './tools.ts';

type Json = Record<string, unknown>;
type Record_ = (entry: Omit<RecordedMessage, 'at' | 'transport' | 'path' | 'wire' | 'hashOk'>) => void;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

/**
 * The reference server's upstream: JSON-RPC 2.0 `tools/list` and `tools/call` (arguments
 * checked against the tool's SType, blocked in production when the SType was declared by
 * X-MPL-SType), and the proxy's `passthrough` answer to any other JSON.
 */
export async function answerUpstream(server: MplServer, request: Request, body: { text: string; json: unknown }, record: Record_): Promise<Response | undefined> {
  const rpc = body.json as Json | null;
  if (rpc?.['jsonrpc'] !== '2.0') {
    if (request.headers.get('x-mpl-stype')) return undefined; // the server echoes a declared, checked body
    record({ kind: 'bare-json', valid: false, errors: ['no SType declared'], blocked: false });
    return json(200, { type: 'passthrough', message: body.text });
  }
  const id = rpc['id'] ?? null;
  const declared = request.headers.get('x-mpl-stype') ?? undefined;
  const rpcError = (code: number, message: string, data?: unknown, headers: Record<string, string> = {}) =>
    json(200, { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } }, headers);
  const done = (valid: boolean, errors: string[], blocked = false) => record({ kind: 'json-rpc', valid, errors, blocked });
  if (rpc['method'] === 'tools/list') {
    done(true, []);
    return json(200, { jsonrpc: '2.0', id, result: { tools: Object.entries(TOOLS).map(([name, t]) => ({ name, description: t.description, ...(t.argsStype ? { args_stype: t.argsStype } : {}) })) } });
  }
  if (rpc['method'] !== 'tools/call') {
    done(false, [`unknown method ${String(rpc['method'])}`]);
    return rpcError(-32601, `Method not found: ${String(rpc['method'])}`);
  }
  const params = (rpc['params'] ?? {}) as Json;
  const name = params['name'];
  if (typeof name !== 'string') {
    done(false, ['params.name must be a string']);
    return rpcError(-32602, 'Invalid params: `name` must be a string');
  }
  const tool = TOOLS[name];
  if (!tool) {
    done(false, [`unknown tool ${name}`]);
    return rpcError(-32601, `Tool not found: ${name}`);
  }
  const args = params['arguments'] ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    done(false, ['arguments must be an object']);
    return rpcError(-32602, 'Invalid params: `arguments` must be an object');
  }
  const stype = declared ?? tool.argsStype;
  let qomPassed = true;
  if (stype) {
    const check = await server.check(stype, args);
    qomPassed = check.valid;
    if (!check.valid) {
      const headers = { 'X-MPL-QoM-Result': 'fail', 'X-MPL-SType': stype };
      if (server.strict && declared) {
        done(false, check.errors, true);
        return json(400, { error: check.code, message: 'Request validation failed', details: check.errors }, headers);
      }
      done(false, check.errors);
      return rpcError(-32602, `Invalid params: arguments do not match ${stype}`, { stype, details: check.errors }, headers);
    }
  }
  let structured: unknown;
  try {
    structured = tool.run(args as Json);
  } catch (error) {
    if (!(error instanceof InvalidToolArguments)) throw error;
    done(false, error.problems);
    return rpcError(-32602, `Invalid params: ${error.message}`, { details: error.problems });
  }
  done(true, []);
  const result = { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured, isError: false };
  const headers: Record<string, string> = { 'X-MPL-QoM-Result': qomPassed ? 'pass' : 'fail', 'X-MPL-Sem-Hash': await semanticHash(structured) };
  if (stype) headers['X-MPL-SType'] = stype;
  return json(200, { jsonrpc: '2.0', id, result }, headers);
}
