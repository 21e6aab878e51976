// The upstream literals of test/fixtures/peer-shapes.json, typed, and the checks of what the
// SDK must make of each (shared by the Session's and the Client's tests).
import assert from 'node:assert/strict';
import shapes from '../fixtures/peer-shapes.json' with { type: 'json' };
import * as sdk from '../../src/index.ts';
import type { ScriptedAnswer } from './mpl-test-server.ts';

export interface HandshakeShape extends ScriptedAnswer { name: string; httpOnly?: boolean; expect: Record<string, unknown> }
export interface ErrorShape extends ScriptedAnswer {
  name: string;
  expect: { class: string; code: string; fields?: Record<string, unknown>; details?: Record<string, unknown>; paths?: string[] };
}
export interface ReplyShape extends ScriptedAnswer { name: string }

export const OFFER: string[] = shapes.offer;
export const ACCEPT = shapes.accept as HandshakeShape[];
export const REFUSE = shapes.refuse as HandshakeShape[];
export const ERRORS = shapes.errors as ErrorShape[];
export const WRAPPED = shapes.wrapped as ReplyShape[];
export const WRAPPED_BAD_HASH = shapes.wrappedBadHash as ReplyShape[];
export const WRAPPED_BREACH = shapes.wrappedBreach as ReplyShape[];

/** Each field `expect` names has that value in `actual`. */
export function assertFields(actual: object, expect: Record<string, unknown>, what: string): void {
  for (const [key, value] of Object.entries(expect)) assert.deepEqual((actual as Record<string, unknown>)[key], value, `${what}: ${key}`);
}

/** `error` is what the SDK must make of `shape`: its class, code, fields, details and paths. */
export function assertShapeError(error: unknown, shape: ErrorShape): void {
  const { expect } = shape;
  const cls = (sdk as unknown as Record<string, abstract new (...args: never[]) => unknown>)[expect.class]!;
  assert.ok(error instanceof cls, `${shape.name}: expected ${expect.class}, got ${String(error)}`);
  assert.ok(!(error instanceof sdk.ConnectionError) || expect.class === 'ConnectionError', `${shape.name}: never a ConnectionError`);
  const e = error as sdk.MplError;
  assert.equal(e.code, expect.code, shape.name);
  assert.equal(e.name, expect.class, shape.name);
  if (expect.fields) assertFields(e, expect.fields, shape.name);
  if (expect.details) assertFields(e.details, expect.details, `${shape.name} details`);
  if (expect.paths) assert.deepEqual((e as sdk.SchemaFidelityError).validationErrors.map((i) => i.path), expect.paths, shape.name);
  assert.deepEqual(e.details['server'] !== undefined, true, `${shape.name}: the body is kept in details.server`);
}

/** The NegotiationError a refusal must give. */
export function assertRefusal(error: unknown, shape: HandshakeShape): void {
  assert.ok(error instanceof sdk.NegotiationError, `${shape.name}: expected NegotiationError, got ${String(error)}`);
  assert.match(error.reason, new RegExp(String(shape.expect['reason'])), shape.name);
  assert.deepEqual(error.serverStypes, shape.expect['serverStypes'], shape.name);
  assert.deepEqual(error.clientStypes, OFFER, shape.name);
}
