// The server the hostile-input cases attack, one definition for every runtime: small
// limits so each is reached quickly, and a calendar handler that can be made to throw
// (title "throw") or to hang (title "hang"), or to say what it read of its HTTP request
// (title "request": a header, and the body's text).
import { MplServer } from 'mpl-sdk/server';

/** The limits the hostile cases reach. */
export const HOSTILE_LIMITS = { maxFrameBytes: 64 * 1024, maxSessions: 8, maxInFlight: 4, maxHellos: 3, helloTimeoutMs: 1_000, handlerTimeoutMs: 300, bodyTimeoutMs: 500 };

/** A secret a failing handler throws: it must never reach the peer. */
export const SECRET = 'db password is hunter2';

export async function defineHostileServer(): Promise<MplServer> {
  const server = new MplServer({ mode: 'strict', limits: HOSTILE_LIMITS, onError: () => {} });
  server.on('org.calendar.Event.v1', async (envelope, ctx) => {
    const event = envelope.payload;
    if (event.title === 'throw') throw new Error(SECRET);
    if (event.title === 'hang') await new Promise(() => {});
    if (event.title === 'request') {
      const request = ctx.request;
      const read = request ? `${request.headers.get('x-probe')} ${request.method} ${await request.text()}` : 'no request';
      return { ...event, status: 'confirmed', description: read };
    }
    return { ...event, status: 'confirmed' };
  });
  await server.ready();
  return server;
}

/** How long the graceful server's handler works on an event: a shutdown starts while it does. */
export const SLOW_HANDLER_MS = 500;

/**
 * The server a graceful shutdown is tried on (the stage's last case, with SIGTERM): its
 * handler answers an event after {@link SLOW_HANDLER_MS}.
 */
export async function defineGracefulServer(): Promise<MplServer> {
  const server = new MplServer({ limits: { handlerTimeoutMs: 5_000 } });
  server.on('org.calendar.Event.v1', async (envelope) => {
    await new Promise((resolve) => setTimeout(resolve, SLOW_HANDLER_MS));
    return { ...envelope.payload, status: 'confirmed' };
  });
  await server.ready();
  return server;
}
