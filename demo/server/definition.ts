// The reference server's definition, free of any runtime: an MplServer with the demo's
// handlers (answers.ts), its JSON-RPC tools, pushes, and the opt-in test-control endpoint.
// Node (reference-server.ts), Deno, Bun and workerd (test/runtimes/server/) serve it
// through their adapters of mpl-sdk/server.
import { MplServer, type PeerSession, type Routes } from 'mpl-sdk/server';
import { AGENT_ID, answerFor, failureFor, heartbeat } from './answers.ts';
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control.ts';
import { answerUpstream } from './json-rpc.ts';
import type { PushedMessage, RecordedMessage, ReferenceServerOptions } from './options.ts';
import { pushOnConnect } from './scenario.ts';

/** A defined reference server: its MplServer, and what the tests read and drive. */
export interface ReferenceDefinition {
  readonly server: MplServer;
  readonly recorded: RecordedMessage[];
  readonly pushed: PushedMessage[];
  /** Handshaken, open WebSocket sessions. */
  readonly clientCount: number;
  push(stype: string, payload: unknown): Promise<PushedMessage>;
  /** Terminates every session; returns how many there were. */
  dropAll(): number;
  /** Stops the heartbeat timer. */
  stop(): void;
}

/**
 * Defines the reference server; resolves once its registry is loaded (an SType without a
 * schema rejects). `routes` answers first (the Node program serves the demo page there).
 */
export async function defineReferenceServer(options: ReferenceServerOptions = {}, routes?: Routes): Promise<ReferenceDefinition> {
  const recorded: RecordedMessage[] = [];
  const pushed: PushedMessage[] = [];
  const mode = options.mode ?? 'development';
  const idLess = options.replies === 'id-less';
  let control: ControlTarget | undefined; // set below when options.control
  const server: MplServer = new MplServer({
    mode,
    replies: idLess ? 'proxy' : 'envelope',
    qomReports: 'always',
    hashLayout: 'current', // like the reference proxy as built today: one layout, its own
    // Schema issues in the proxy's own words (`Schema error at /start: …`), the default.
    name: AGENT_ID,
    ...(options.stypes ? { stypes: options.stypes } : {}),
    ...(options.requiredProfile ? { requiredProfile: options.requiredProfile } : {}),
    ...(options.handshakeReplyType ? { handshakeReplyType: options.handshakeReplyType } : {}),
    ...(options.onIncompatible ? { onIncompatible: options.onIncompatible } : {}),
    extensions: idLess ? {} : { 'mpl.reference': { replies: 'in_reply_to', mode, push: ['org.agent.TaskPlan.v1', 'org.agent.Heartbeat.v1'] } },
    cors: true,
    unknownFrames: 'passthrough',
    binaryFrames: 'echo',
    limits: { maxFrameBytes: 4 * 1024 * 1024 },
    onInbound: (entry) => recorded.push({ ...entry, at: Date.now() }),
    routes: (request) => (new URL(request.url).pathname.startsWith(CONTROL_PREFIX) ? handleControl(request, control) : routes?.(request)),
    upstream: (request, body) => answerUpstream(server, request, body, (entry) => {
      recorded.push({ transport: 'http', path: new URL(request.url).pathname, wire: body.json, hashOk: undefined, ...entry, at: Date.now() });
    }),
  });
  await server.ready();
  // Like the proxy, id-less mode hands back what it got; otherwise an MPL-aware calendar and agent service answers.
  if (!idLess) {
    server.on('*', (envelope, ctx) => {
      const answer = ctx.validation.valid ? answerFor(envelope.stype, envelope.payload) : failureFor(envelope.id, [...ctx.validation.errors]);
      return ctx.reply(answer.stype, answer.payload);
    });
  }
  const record = (stype: string, id: string, semHash: string | undefined, clients: number): PushedMessage => {
    const entry = { stype, id, semHash: semHash ?? '', clients, at: Date.now() };
    pushed.push(entry);
    return entry;
  };
  const push = async (stype: string, payload: unknown): Promise<PushedMessage> => {
    const { envelope, sent } = await server.broadcast(stype, payload);
    return record(envelope.stype, envelope.id, envelope.semHash, sent);
  };
  const pushTo = async (session: PeerSession, stype: string, payload: unknown) => {
    const envelope = await session.push(stype, payload);
    record(envelope.stype, envelope.id, envelope.semHash, 1);
  };
  if (options.pushOnConnect) server.onHandshake((session) => pushOnConnect((stype, payload) => pushTo(session, stype, payload), session.commonStypes));
  const dropAll = () => {
    const sessions = [...server.sessions];
    for (const session of sessions) session.terminate();
    return sessions.length;
  };
  if (options.control) control = { dropWebSockets: dropAll, push, recorded };
  const timer = options.heartbeatIntervalMs ? setInterval(() => void push('org.agent.Heartbeat.v1', heartbeat()).catch(() => {}), options.heartbeatIntervalMs) : undefined;
  return {
    server,
    recorded,
    pushed,
    get clientCount() {
      return [...server.sessions].filter((s) => s.handshaken).length;
    },
    push,
    dropAll,
    stop: () => clearInterval(timer),
  };
}
