/**
 * mpl-sdk/server/node: the Node adapter of `mpl-sdk/server` (node:http and `ws`).
 * @packageDocumentation
 * @module mpl-sdk/server/node
 */
export { serveNode, nodeHandlers, toRequest, writeResponse, type NodeHandlers, type NodeServeOptions, type NodeServer } from './adapters/node.ts';
