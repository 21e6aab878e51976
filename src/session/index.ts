export { Session } from './session.ts';
export type { WebSocketConstructor, WebSocketLike } from '../platform/runtime.ts';
export type {
  SessionConfig, SendOptions, ListenOptions, ConnectOptions, ReconnectOptions, MessageHandler,
  ErrorContext, SessionStats, Provider,
} from './config.ts';
export { QOM_RESULT_KEY } from '../protocol/peer-reply.ts';
export { defaultShouldReconnect, type CloseInfo } from './close-policy.ts';
export type { Transport, InboundMessage, OutboundRequest } from './transport.ts';
export { WebSocketTransport, type WebSocketTransportOptions } from './lazy-websocket-transport.ts';
export { HttpTransport, type HttpTransportOptions } from './http-transport.ts';
