export { startReferenceServer } from './reference-server.ts';
export type { ReferenceServer, ReferenceServerOptions, RecordedMessage, PushedMessage } from './options.ts';
