/**
 * A Cloudflare Worker that talks MPL: on each request it opens an SDK session to the MPL
 * server named by the `MPL_SERVER_URL` binding, sends one calendar event and answers
 * with JSON describing what happened (negotiated capabilities, the event's semantic hash,
 * the server's reply, or the validation errors of a bad event).
 *
 *   GET  /?transport=http|ws   sends a sample event over HTTP (default) or WebSocket
 *   POST /?transport=…         sends the JSON body as the event (validated first)
 *
 * The package resolves through its `workerd` export condition, which imports the BLAKE3
 * module as a compiled `.wasm` module (see wrangler.toml's CompiledWasm rule).
 */
import { MplError, SchemaFidelityError, Session, semanticHash, type MplEnvelope } from 'mpl-sdk';

/** The Worker's bindings (wrangler.toml `[vars]`). */
export interface Env {
  /** Base URL of the MPL server, e.g. `http://127.0.0.1:8080`. */
  MPL_SERVER_URL: string;
}

const EVENT_STYPE = 'org.calendar.Event.v1';

const sampleEvent = () => ({
  title: 'Architecture Review',
  start: '2024-03-01T14:00:00Z',
  duration_minutes: 60,
  attendees: ['alice@example.com', 'bob@example.com'],
});

function endpointFor(server: string, transport: 'http' | 'ws'): string {
  const base = new URL(server);
  if (transport === 'http') return new URL('/mcp', base).href;
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return new URL('/ws', base).href;
}

function describeReply(reply: MplEnvelope) {
  return { stype: reply.stype, inReplyTo: reply.inReplyTo, semHash: reply.semHash, payload: reply.getPayload(), qomReport: reply.qomReport };
}

async function handle(request: Request, env: Env): Promise<Response> {
  const transport = new URL(request.url).searchParams.get('transport') === 'ws' ? 'ws' : 'http';
  const event: unknown = request.method === 'POST' ? await request.json() : sampleEvent();
  const endpoint = endpointFor(env.MPL_SERVER_URL, transport);
  const reported: string[] = [];
  // A socket belongs to the request that opened it: the session lives and dies here.
  let session: Session;
  try {
    session = new Session({
      endpoint,
      stypes: [EVENT_STYPE],
      qomProfile: 'qom-basic',
      timeoutMs: 10_000,
      reconnect: { enabled: false },
      onError: (error, context) => reported.push(`${context.source}: ${error.message}`),
    });
  } catch (error) { // MPL_SERVER_URL is no ws/wss/http/https URL
    if (error instanceof MplError) return Response.json({ ok: false, transport, error: error.toJSON(), reported }, { status: 500 });
    throw error;
  }
  try {
    const negotiated = await session.connect();
    const sent = { stype: EVENT_STYPE, semHash: await semanticHash(event) };
    const reply = await session.send<string>(EVENT_STYPE, event); // untrusted JSON: checked at run time, not compile time
    return Response.json({ ok: true, transport, endpoint, negotiated, sent, reply: describeReply(reply), reported });
  } catch (error) {
    if (error instanceof SchemaFidelityError) {
      return Response.json({ ok: false, transport, error: error.toJSON(), issues: error.validationErrors, reported }, { status: 422 });
    }
    if (error instanceof MplError) return Response.json({ ok: false, transport, error: error.toJSON(), reported }, { status: 502 });
    throw error;
  } finally {
    await session.close();
  }
}

export default { fetch: handle };
