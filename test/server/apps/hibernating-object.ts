// A Durable Object serving MPL through durableObjectHandler (WebSocket hibernation), for
// test/server/durable-object.test.ts: each instance numbers itself (a module counter, as
// the isolate outlives the objects it evicts), and its Event handler pushes a Heartbeat
// to a sender that negotiated it (read from the session) and answers with that
// number in the title, so the test sees which instance answered.
import { embeddedRegistry, type Registry } from 'mpl-sdk';
import { MplServer, durableObjectHandler, type DurableObjectHandler, type HibernationState } from 'mpl-sdk/server';

interface Env {
  OBJECT: { idFromName(name: string): unknown; get(id: unknown): { fetch(request: Request): Promise<Response> } };
}

let constructed = 0;

/** The embedded registry plus BULK_STYPES more, so that a session can negotiate more than an attachment holds. */
export const BULK_STYPES = Array.from({ length: 1000 }, (_, i) => `com.example.bulk.Thing${i}.v1`);
function bulkRegistry(): Registry {
  const base = embeddedRegistry();
  const bulk = new Set(BULK_STYPES);
  return {
    source: 'embedded+bulk',
    getSchema: async (stype) => (bulk.has(stype) ? { type: 'object' } : base.getSchema(stype)),
    has: async (stype) => bulk.has(stype) || base.has(stype),
    list: async () => [...(await base.list()), ...BULK_STYPES].sort(),
    getProfile: (name) => base.getProfile(name),
  };
}

export class HibernatingObject {
  readonly #mpl: DurableObjectHandler;

  constructor(state: HibernationState) {
    constructed += 1;
    const instance = constructed;
    const server = new MplServer({ mode: 'strict', registry: bulkRegistry() });
    server.on('org.calendar.Event.v1', async (envelope, ctx) => {
      if (ctx.session?.commonStypes.includes('org.agent.Heartbeat.v1')) await ctx.session.push('org.agent.Heartbeat.v1', { status: 'alive' });
      return { ...envelope.payload, title: `instance ${instance}` };
    });
    this.#mpl = durableObjectHandler(server, state);
  }

  fetch(request: Request): Promise<Response> {
    return this.#mpl.fetch(request);
  }

  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    return this.#mpl.webSocketMessage(ws, message);
  }

  webSocketClose(ws: WebSocket): Promise<void> {
    return this.#mpl.webSocketClose(ws);
  }

  webSocketError(ws: WebSocket): Promise<void> {
    return this.#mpl.webSocketError(ws);
  }
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return env.OBJECT.get(env.OBJECT.idFromName('one')).fetch(request);
  },
};
