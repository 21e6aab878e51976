import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PushedMessage, RecordedMessage } from './options.ts';
import { readBody, sendJson } from './respond.ts';

/** What the test-control endpoint acts on. */
export interface ControlTarget {
  /** Terminates every WebSocket; resolves with how many there were. */
  dropWebSockets(): number;
  push(stype: string, payload: unknown): Promise<PushedMessage>;
  /** Everything the server received, in order. */
  readonly recorded: readonly RecordedMessage[];
}

/** Where the test-control endpoint lives. */
export const CONTROL_PREFIX = '/__control/';

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; problem: string }> {
  const text = await readBody(req);
  if (text === undefined) return { ok: false, problem: 'body too large' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `body is not JSON: ${(error as Error).message}` };
  }
}

/**
 * The test-control endpoint (only when the server was started with `control: true`), so a
 * test in a runtime that cannot call the server's methods can still drive it over HTTP:
 *   POST /__control/drop-websockets          → `{ dropped: n }`, every WebSocket terminated
 *   POST /__control/push?stype=S  (payload)  → the PushedMessage, sent to every handshaken client
 *   GET  /__control/recorded                 → every RecordedMessage, in arrival order
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string, searchParams: URLSearchParams, target: ControlTarget): Promise<void> {
  const action = pathname.slice(CONTROL_PREFIX.length);
  const method = action === 'recorded' ? 'GET' : 'POST';
  if (req.method !== method) return sendJson(res, 405, { error: 'E-METHOD', message: `${CONTROL_PREFIX}${action} takes ${method}` });
  if (action === 'recorded') return sendJson(res, 200, target.recorded);
  if (action === 'drop-websockets') return sendJson(res, 200, { dropped: target.dropWebSockets() });
  if (action === 'push') {
    const stype = searchParams.get('stype');
    if (!stype) return sendJson(res, 400, { error: 'E-BAD-REQUEST', message: 'push needs ?stype=' });
    const body = await readJson(req);
    if (!body.ok) return sendJson(res, 400, { error: 'E-BAD-REQUEST', message: body.problem });
    return sendJson(res, 200, await target.push(stype, body.value));
  }
  sendJson(res, 404, { error: 'E-NOT-FOUND', message: `unknown control action ${action}` });
}
