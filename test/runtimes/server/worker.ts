// The reference server on workerd: one Durable Object holds the server (a socket accepted
// in one request can only be written from the object that holds it, so pushes and drops
// from the control endpoint need one), with WebSocket hibernation (durableObjectHandler);
// the Worker sends every request to it. The
// binding SERVER_OPTIONS picks the configuration (`hostile`: the hostile-input server).
import { durableObjectHandler, type DurableObjectHandler, type HibernationState } from 'mpl-sdk/server';
import { defineReferenceServer, type ReferenceDefinition } from '../../../demo/server/definition.ts';
import { defineHostileServer } from './hostile-app.ts';

interface Env {
  SERVER_OPTIONS: string;
  REFERENCE: { idFromName(name: string): unknown; get(id: unknown): { fetch(request: Request): Promise<Response> } };
}

export class ReferenceObject {
  readonly #handler: Promise<DurableObjectHandler>;

  constructor(state: HibernationState, env: Env) {
    const server = env.SERVER_OPTIONS === 'hostile'
      ? defineHostileServer()
      : defineReferenceServer(JSON.parse(env.SERVER_OPTIONS)).then((definition: ReferenceDefinition) => definition.server);
    this.#handler = server.then((s) => durableObjectHandler(s, state));
  }

  async fetch(request: Request): Promise<Response> {
    return (await this.#handler).fetch(request);
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    return (await this.#handler).webSocketMessage(ws, message);
  }

  async webSocketClose(ws: WebSocket): Promise<void> {
    return (await this.#handler).webSocketClose(ws);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    return (await this.#handler).webSocketError(ws);
  }
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return env.REFERENCE.get(env.REFERENCE.idFromName('reference')).fetch(request);
  },
};
