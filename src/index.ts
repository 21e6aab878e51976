/**
 * mpl-sdk: typed, hashed, validated messages between AI agents and their tools.
 * One ESM bundle for browsers, Deno, Bun, Node and Cloudflare Workers.
 * @packageDocumentation
 * @module mpl-sdk
 */

// Errors
export * from './errors/index.ts';

// Wire types: SType, envelope, handshake, QoM reports (QoM evaluation: mpl-sdk/qom)
export * from './protocol/index.ts';

// Semantic hashing (BLAKE3 in WebAssembly)
export * from './hashing/index.ts';

// SType registry and schema validation
export * from './registry/index.ts';

// Session: AI-ALPN, WebSocket and HTTP transports
export * from './session/index.ts';

// The simple Client (tool calls through a proxy)
export * from './client/index.ts';
