// The char-code format scanners (src/registry/fast-formats.ts) must accept and reject
// exactly what @cfworker/json-schema's own format checks do: compared on tables of edge
// cases and on tens of thousands of generated valid and near-valid strings (parts from
// the edges of each rule, then single-character insertions, deletions and replacements).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format } from '@cfworker/json-schema';
import fc from 'fast-check';
import { fastFormats } from '../../src/registry/fast-formats.ts';

const RUNS = 20_000;

/** Asserts that the scanner and the engine agree on `value`, and returns the answer. */
function agree(name: string, value: string): boolean {
  const engine = (format as Record<string, (v: string) => boolean>)[name]!(value);
  assert.equal(fastFormats[name]!(value), engine, `${name} ${JSON.stringify(value)}: the engine says ${engine}`);
  return engine;
}

/** `base` with one character inserted, deleted or replaced (from `alphabet`), or unchanged. */
const mutated = (base: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> =>
  fc.tuple(base, fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('keep', 'insert', 'delete', 'replace')).map(([s, at, c, how]) => {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    if (how === 'insert') return s.slice(0, i) + c + s.slice(i);
    if (how === 'delete') return s.slice(0, i) + s.slice(i + 1);
    if (how === 'replace') return s.slice(0, i) + c + s.slice(i + 1);
    return s;
  });

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
// Every character JavaScript's `\s` matches, and some it does not (U+0085, U+180E, U+200B).
const SPACES = '\t\n\v\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const NOT_SPACES = '\u0085\u180e\u200b';

describe('fast date-time', () => {
  const dateTimes = fc.tuple(
    fc.constantFrom(0, 1, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9999),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.constantFrom('T', 't', 'x', '', 'TT', ...SPACES, ...NOT_SPACES),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom(0, 1, 30, 59, 60, 61),
    fc.constantFrom('', '.', '.5', '.123456789', '.x', ','),
    fc.constantFrom('Z', 'z', '', 'ZZ', '+00:00', '-00:00', '+01:00', '-01:30', '+23:59', '-23:59', '+24:00', '+05:60', '+5:00', '+0500', 'Z ', '+01:00Z'),
  ).map(([y, mo, d, sep, h, mi, s, frac, zone]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}${sep}${pad(h)}:${pad(mi)}:${pad(s)}${frac}${zone}`);
  // Valid ones, for the mutations to start from.
  const validDateTimes = fc.tuple(fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('T', 't', ' '), fc.constantFrom('Z', 'z', '+01:00', '-23:59'))
    .map(([d, sep, zone]) => d.toISOString().replace('T', sep).replace('Z', zone));

  it('agrees with the engine on generated and mutated date-times', () => {
    let valid = 0;
    fc.assert(fc.property(mutated(fc.oneof(dateTimes, validDateTimes), `0123456789-:.+TtZz x${SPACES}${NOT_SPACES}`), (s) => { if (agree('date-time', s)) valid++; }), { numRuns: RUNS });
    assert.ok(valid > RUNS / 10, `only ${valid} of ${RUNS} generated date-times were valid: the generator misses the valid side`);
  });

  it('agrees on leap seconds at every minute of the day and offset', () => {
    for (const offset of ['Z', '+00:00', '-00:00', '+01:00', '-01:00', '+05:30', '-09:45', '+23:59', '-23:59']) {
      for (let minute = 0; minute < 24 * 60; minute++) agree('date-time', `2016-12-31T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:60${offset}`);
    }
    assert.equal(agree('date-time', '2016-12-31T23:59:60Z'), true);
    assert.equal(agree('date-time', '2016-12-31T15:59:60-08:00'), true);
    assert.equal(agree('date-time', '2016-12-31T23:58:60Z'), false);
  });

  it('agrees on a table of edge cases', () => {
    const table: [string, boolean][] = [
      ['2024-03-01T14:00:00Z', true], ['2024-03-01t14:00:00z', true], ['2024-03-01 14:00:00Z', true], ['2024-03-01\u202814:00:00Z', true],
      ['2024-02-29T00:00:00Z', true], ['2023-02-29T00:00:00Z', false], ['1900-02-29T00:00:00Z', false], ['2000-02-29T00:00:00Z', true],
      ['2024-04-31T00:00:00Z', false], ['2024-03-01T14:00:00.1234567890+05:30', true], ['2024-03-01T14:00:00.Z', false],
      ['2024-03-01T14:00:00', false], ['2024-03-01T14:00Z', false], ['2024-03-01', false], ['', false], ['\uff12024-03-01T14:00:00Z', false],
      ['2024-03-01T14:00:00Z\n', false], ['2024-03-01T24:00:00Z', false], ['2024-03-01T14:00:00-24:00', false], ['+2024-03-01T14:00:00Z', false],
    ];
    for (const [value, expected] of table) assert.equal(agree('date-time', value), expected, value);
  });
});

describe('fast email', () => {
  const label = fc.constantFrom('a', 'example', 'x-y', '-a', 'a-', '0', 'A'.repeat(63), 'b'.repeat(64), 'ü', 'a_b', '', 'com', 'xn--bcher-kva');
  const hosts = fc.oneof(
    fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.')),
    fc.constantFrom('[127.0.0.1]', '[IPv6:::1]', '[ipv6:2001:db8::1]', '[256.0.0.1]', '[example.com]', '[]', '[', ']', `${'a'.repeat(60)}.`.repeat(4) + 'com', `${'a'.repeat(61)}.`.repeat(4) + 'com'),
  );
  const names = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'abcXYZ019.!#$%&\'*+/=?^_`{|}~-'), minLength: 0, maxLength: 66 }),
    fc.constantFrom('alice', 'a.b', '.a', 'a.', 'a..b', '"quoted"', '"a b"', '"a\\"b"', '"unclosed', 'a'.repeat(64), 'a'.repeat(65), 'ü', 'a b', 'a\nb'),
  );
  const emails = fc.tuple(names, fc.constantFrom('@', '@@', '', '@a@'), hosts).map(([n, at, h]) => `${n}${at}${h}`);
  const validEmails = fc.tuple(fc.constantFrom('alice', 'a.b', 'x+tag', 'Bob_1'), fc.constantFrom('example.com', 'a-b.example', 'x', 'mail.example.co.uk')).map(([n, h]) => `${n}@${h}`);

  it('agrees with the engine on generated and mutated addresses', () => {
    let valid = 0;
    fc.assert(fc.property(mutated(fc.oneof(emails, validEmails), 'aZ9.-_@"[]:\\ \n\u2028üı'), (s) => { if (agree('email', s)) valid++; }), { numRuns: RUNS });
    assert.ok(valid > RUNS / 10, `only ${valid} of ${RUNS} generated addresses were valid: the generator misses the valid side`);
  });

  it('agrees on a table of edge cases', () => {
    const table: [string, boolean][] = [
      ['alice@example.com', true], ['ALICE@EXAMPLE.COM', true], ['a@b', true], ['a.b+c@x-y.example', true], ["!#$%&'*+/=?^_`{|}~-@x", true],
      ['.a@x', false], ['a.@x', false], ['a..b@x', false], ['a@', false], ['@x', false], ['a@x.', false], ['a@.x', false], ['a@-x', false], ['a@x-', false],
      ['a@x..y', false], ['a@b@c', false], ['a b@x', false], ['ü@x', false], ['ı@x', false], ['a@ü', false], ['"a b"@x', true], ['"a@b"@x', true],
      ['a@[127.0.0.1]', true], ['a@[IPv6:::1]', true], ['a@[300.0.0.1]', false], [`${'a'.repeat(64)}@x`, true], [`${'a'.repeat(65)}@x`, false],
      [`a@${'b'.repeat(63)}`, true], [`a@${'b'.repeat(64)}`, false], [`a@${'b.'.repeat(126)}c`, true], [`a@${'b.'.repeat(127)}c`, false],
    ];
    for (const [value, expected] of table) assert.equal(agree('email', value), expected, value);
  });
});
