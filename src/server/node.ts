/**
 * mpl-sdk/server/node: the Node adapter of `mpl-sdk/server` (node:http and `ws`).
 * @packageDocumentation
 */
export { serveNode, nodeHandlers, toRequest, writeResponse, type NodeServeOptions, type NodeServer } from './adapters/node.ts';
