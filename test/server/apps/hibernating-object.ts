// A Durable Object serving MPL through durableObjectHandler (WebSocket hibernation), for
// test/server/durable-object.test.ts: each instance numbers itself (a module counter, as
// the isolate outlives the objects it evicts), and its Event handler pushes a Heartbeat
// to a sender that negotiated it (read from the session) and answers with that
// number in the title, so the test sees which instance answered.
import { MplServer, durableObjectHandler, type DurableObjectHandler, type HibernationState } from 'mpl-sdk/server';

interface Env {
  OBJECT: { idFromName(name: string): unknown; get(id: unknown): { fetch(request: Request): Promise<Response> } };
}

let constructed = 0;

export class HibernatingObject {
  readonly #mpl: DurableObjectHandler;

  constructor(state: HibernationState) {
    constructed += 1;
    const instance = constructed;
    const server = new MplServer({ mode: 'strict' });
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
