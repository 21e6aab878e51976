export { Client } from './lazy-client.ts';
export { Mode } from './mode.ts';
export { ClientCode } from './codes.ts';
export type {
  CallResult, CallSuccess, CallFailure, CallMeta, ClientArgs, ClientOptions, CallOptions, ClientSendOptions, ClientRequestOptions,
  ProxyHealth, ProxyCapabilities, ResultIn, ClientTools, KnownTool, CallArgs, ToolResult,
} from './types.ts';
