// The upstream literals of test/fixtures/peer-shapes.json, typed, and the checks of what the
// SDK must make of each (test/conformance/peer-shapes.mjs, bound to this SDK).
import shapes from '../fixtures/peer-shapes.json' with { type: 'json' };
import * as sdk from '../../src/index.ts';
import { assertFields, assertRefusal as checkRefusal, assertShapeError as checkError } from '../conformance/peer-shapes.mjs';
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
/** Replies that are no MPL error body yet say the request failed (the proxy's verdicts, its passthrough). */
export const REFUSING = shapes.refusing as ErrorShape[];
export const WRAPPED = shapes.wrapped as ReplyShape[];
export const WRAPPED_BAD_HASH = shapes.wrappedBadHash as ReplyShape[];
export const WRAPPED_BREACH = shapes.wrappedBreach as ReplyShape[];

export { assertFields };

/** `error` is what the SDK must make of `shape`: its class, code, fields, details and paths. */
export const assertShapeError = (error: unknown, shape: ErrorShape): void => checkError(sdk, error, shape);

/** The NegotiationError a refusal must give. */
export const assertRefusal = (error: unknown, shape: HandshakeShape): void => checkRefusal(sdk, error, shape, OFFER);
