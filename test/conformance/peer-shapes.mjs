// The checks of what the SDK makes of the shapes other MPL peers send
// (test/fixtures/peer-shapes.json): shared by the portable cases (cases/peer-shapes.mjs)
// and the Node tests of the Session and the Client. Plain ES2022, no imports but the harness.
import { assert } from './harness.mjs';

/** Each field `expect` names has that value in `actual`. */
export function assertFields(actual, expect, what) {
  for (const [key, value] of Object.entries(expect)) assert.deepEqual(actual?.[key], value, `${what}: ${key}`);
}

/** `error` is what the SDK must make of the error `shape`: its class, code, fields, details, paths; never a ConnectionError. */
export function assertShapeError(sdk, error, shape) {
  const { expect } = shape;
  assert.ok(error instanceof sdk[expect.class], `${shape.name}: expected ${expect.class}, got ${error?.name}: ${error?.message}`);
  assert.ok(!(error instanceof sdk.ConnectionError), `${shape.name}: the peer answered, so never a ConnectionError`);
  assert.equal(error.code, expect.code, shape.name);
  assert.equal(error.name, expect.class, shape.name);
  if (expect.fields) assertFields(error, expect.fields, shape.name);
  if (expect.details) assertFields(error.details, expect.details, `${shape.name} details`);
  if (expect.paths) assert.deepEqual(error.validationErrors.map((i) => i.path), expect.paths, `${shape.name} paths`);
  assert.ok(error.details.server !== undefined, `${shape.name}: the body is kept in details.server`);
}

/** `error` is the NegotiationError the refusal `shape` must give a client that offered `offer`. */
export function assertRefusal(sdk, error, shape, offer) {
  assert.ok(error instanceof sdk.NegotiationError, `${shape.name}: expected NegotiationError, got ${error?.name}: ${error?.message}`);
  assert.match(error.reason, new RegExp(shape.expect.reason), shape.name);
  assert.deepEqual(error.serverStypes, shape.expect.serverStypes, shape.name);
  assert.deepEqual(error.clientStypes, offer, shape.name);
}
