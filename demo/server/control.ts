import type { PushedMessage, RecordedMessage } from './options.ts';

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

const json = (status: number, body: unknown) => Response.json(body, { status });

/**
 * The test-control endpoint (only when the server was started with `control: true`), so a
 * test in a runtime that cannot call the server's methods can still drive it over HTTP:
 *   POST /__control/drop-websockets          → `{ dropped: n }`, every WebSocket terminated
 *   POST /__control/push?stype=S  (payload)  → the PushedMessage, sent to every handshaken client
 *   GET  /__control/recorded                 → every RecordedMessage, in arrival order
 * Without a target, every control path answers 404.
 */
export async function handleControl(request: Request, target: ControlTarget | undefined): Promise<Response> {
  if (!target) return new Response('Not Found (the test-control endpoint is off)', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const url = new URL(request.url);
  const action = url.pathname.slice(CONTROL_PREFIX.length);
  const method = action === 'recorded' ? 'GET' : 'POST';
  if (request.method !== method) return json(405, { error: 'E-METHOD', message: `${CONTROL_PREFIX}${action} takes ${method}` });
  if (action === 'recorded') return json(200, target.recorded);
  if (action === 'drop-websockets') return json(200, { dropped: target.dropWebSockets() });
  if (action === 'push') {
    const stype = url.searchParams.get('stype');
    if (!stype) return json(400, { error: 'E-BAD-REQUEST', message: 'push needs ?stype=' });
    let payload: unknown;
    try {
      payload = JSON.parse(await request.text());
    } catch (error) {
      return json(400, { error: 'E-BAD-REQUEST', message: `body is not JSON: ${(error as Error).message}` });
    }
    return json(200, await target.push(stype, payload));
  }
  return json(404, { error: 'E-NOT-FOUND', message: `unknown control action ${action}` });
}
