// What every consumer app must have done, checked the same way for all: the semantic hash
// of a fixed payload equals the conformance vector, a validated, hashed send reached the
// reference server (which found it valid and its hash right) and was answered, an invalid
// one was refused with its issue and not sent, and a message the server pushed reached the
// app's handler.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReferenceServer } from '../../../demo/server/index.ts';
import { packageRoot } from '../../runtimes/support/exports.mjs';

/** The vector of `{"status":"alive"}` from test/fixtures/canonical-vectors.jsonl. */
export const aliveVector = readFileSync(join(packageRoot, 'test/fixtures/canonical-vectors.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((v) => v.input === '{"status":"alive"}');

/** The reference server on an ephemeral port, pushing a task plan after each handshake. */
export const startServer = () => startReferenceServer({ port: 0, host: '127.0.0.1', quiet: true, pushOnConnect: true });

/** Reads an app's report lines (`reply: …`, `hash: …`, `refused: …`, `pushed plan: …`) and checks them against the server's records. */
export function assertReport(text, server) {
  const hash = /^hash: (\S+)$/m.exec(text)?.[1];
  const reply = /^reply: (\S+) (\S+)$/m.exec(text);
  const pushed = /^pushed plan: (\S+)$/m.exec(text)?.[1];
  assert.equal(hash, aliveVector.hash, `the hash of {"status":"alive"} in:\n${text}`);
  assert.ok(reply, `a reply line in:\n${text}`);
  assert.equal(reply[1], 'org.calendar.Event.v1');
  assert.match(reply[2], /^b3:[0-9a-f]{64}$/);
  const sent = server.recorded.filter((m) => m.kind === 'envelope' && m.transport === 'ws' && m.wire.stype === 'org.calendar.Event.v1');
  assert.ok(sent.some((m) => m.valid && m.hashOk === true && m.wire.payload.title === 'Sync'), 'the server received the event, valid and with the right hash');
  assert.match(pushed ?? '', /^plan-/, `the pushed task plan reached the handler:\n${text}`);
  // The full schema check (loaded on demand) named the issue of the invalid event, which never left.
  assert.match(text, /^refused: is missing required property "start"$/m, `the invalid event was refused:\n${text}`);
  assert.ok(!server.recorded.some((m) => m.kind === 'envelope' && m.wire.payload?.title === 'No start'), 'the invalid event was not sent');
}
