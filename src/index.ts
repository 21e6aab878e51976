/**
 * mpl-sdk: typed, hashed, validated messages between AI agents and their tools.
 * One ESM bundle for browsers, Deno, Bun, Node and Cloudflare Workers.
 * @packageDocumentation
 */

// Errors
export * from './errors/index.ts';

// Wire types: SType, envelope, handshake
export * from './protocol/index.ts';
