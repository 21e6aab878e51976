/**
 * mpl-sdk/server: an MPL endpoint on web standards (Request, Response, WebSocket), with one
 * thin adapter per runtime. The Node adapter (node:http and `ws`) is `mpl-sdk/server/node`.
 * @packageDocumentation
 * @module mpl-sdk/server
 */
export { MplServer, type MplServerOptions } from './server.ts';
export { PeerSession, type SessionSnapshot } from './peer-session.ts';
export { Reply, type HandledStype, type Handler, type HandlerContext, type HandlerResult } from './handler.ts';
export { DEFAULT_LIMITS, type ServerOptions, type ServerLimits, type GivenLimits, type InboundRecord } from './options.ts';
export type { Routes, Upstream } from './http.ts';
export { CloseCode, type ServerSocket } from './socket.ts';
export { denoHandler } from './adapters/deno.ts';
export { bunHandler, type BunServeOptions, type BunSocket, type BunSocketData } from './adapters/bun.ts';
export { workerdHandler } from './adapters/workerd.ts';
export { durableObjectHandler, type DurableObjectHandler, type HibernationState } from './adapters/durable-object.ts';
