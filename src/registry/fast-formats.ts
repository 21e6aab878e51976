import { format } from '@cfworker/json-schema';

// Char-code scanners for the formats the embedded registry's schemas use most, with exactly
// @cfworker/json-schema's accept/reject set (its regexes cost more than the rest of a small
// payload's check). Shapes they do not read themselves (a quoted email name, an IP host, a
// date-time separator other than `T`, `t` or a space) go to the engine's own function.
// test/registry/fast-formats.test.ts compares the two.

type FormatCheck = (value: string) => boolean;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `i` as a number, or -1 (ASCII digits only, as the engine's `\d`). */
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** Two digits at `i` as a number, or -1. */
const twoDigits = (s: string, i: number): number => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/**
 * RFC 3339 `date-time` as the engine reads it: `YYYY-MM-DD`, one `T`, `t` or white-space
 * separator, `hh:mm:ss`, an optional fraction, then `Z` or `±hh:mm`; a real day of the
 * month; second 60 only at 23:59 UTC.
 */
function dateTime(s: string): boolean {
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = century * 100 + yearOfCentury;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  const separator = s.charCodeAt(10);
  // Other white space (what `\s` matches) separates too: rare, left to the engine's check.
  if (separator !== 84 && separator !== 116 && separator !== 32) return format['date-time']!(s);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    if (digit(s, i) < 0) return false;
    while (digit(s, i) >= 0) i++;
  }
  const zone = s.charCodeAt(i);
  let offset = 0;
  if (zone === 90 || zone === 122) {
    if (i + 1 !== s.length) return false;
  } else if (zone === 43 || zone === 45) {
    const offsetHour = twoDigits(s, i + 1);
    const offsetMinute = twoDigits(s, i + 4);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59 || s.charCodeAt(i + 3) !== 58 || i + 6 !== s.length) return false;
    offset = (zone === 43 ? 1 : -1) * (offsetHour * 60 + offsetMinute);
  } else {
    return false;
  }
  return second < 60 || (hour * 60 + minute - offset + 1440) % 1440 === 1439;
}

/** `[a-z0-9.!#$%&'*+/=?^_\`{|}~-]` with `A-Z`: what an unquoted email name may hold. */
const NAME_CHARS = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-") NAME_CHARS[c.charCodeAt(0)] = 1;

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A host name: dot-separated labels of 1 to 63 letters, digits and inner hyphens, 253 characters at most. */
function hostname(s: string, from: number): boolean {
  if (s.length - from > 253) return false;
  let label = from;
  for (let i = from; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (i === label || i - label > 63 || s.charCodeAt(label) === 45 || s.charCodeAt(i - 1) === 45) return false;
      label = i + 1;
    } else if (!isAlnum(c) && c !== 45) {
      return false;
    }
  }
  return true;
}

/** `email` as the engine reads it; a quoted name or a `[…]` address host is left to its own check. */
function email(s: string): boolean {
  if (s.charCodeAt(0) === 34) return format.email!(s);
  // A name of 1 to 64 characters that neither starts nor ends with a dot nor holds two in a row.
  let at = 0;
  let previous = 46;
  for (; at < s.length; at++) {
    const c = s.charCodeAt(at);
    if (c === 64) break;
    if (c >= 128 || NAME_CHARS[c] === 0 || (c === 46 && previous === 46)) return false;
    previous = c;
  }
  if (at === 0 || at > 64 || at === s.length || previous === 46) return false;
  if (s.charCodeAt(at + 1) === 91 && s.charCodeAt(s.length - 1) === 93) return format.email!(s);
  return at + 1 < s.length && hostname(s, at + 1);
}

/** The scanners by format name; any other format uses the engine's check. */
export const fastFormats: Readonly<Record<string, FormatCheck>> = { 'date-time': dateTime, email };
