import { format } from '@cfworker/json-schema';

// Char-code scanners for the formats the embedded registry's schemas use most, with exactly
// @cfworker/json-schema's accept/reject set (its regexes cost more than the rest of a small
// payload's check). Shapes they do not read themselves (a quoted email name, an IP host, a
// date-time separator other than `T`, `t` or a space) go to the engine's own function.
// test/registry/fast-formats.test.ts compares the two.

type FormatCheck = (value: string) => boolean;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The two digits at `i` as a number, or -1 unless both are digits (`i + 1` within `s`). */
function pair(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >>> 0 > 9 || b >>> 0 > 9 ? -1 : a * 10 + b;
}

/**
 * RFC 3339 `date-time` as the engine reads it: `YYYY-MM-DD`, one `T`, `t` or white-space
 * separator, `hh:mm:ss`, an optional fraction, then `Z` or `±hh:mm`; a real day of the
 * month; second 60 only at 23:59 UTC. Each character of the fixed part is read once, in
 * straight-line code: this runs on every send and reply, usually with cold caches (after
 * a wait on the network), where every extra read and branch shows.
 */
function dateTime(s: string): boolean {
  const separator = s.charCodeAt(10);
  // Other white space (what `\s` matches) separates too: rare, left to the engine's check.
  if (separator !== 84 && separator !== 116 && separator !== 32) return format['date-time']!(s);
  // The shortest is `YYYY-MM-DDThh:mm:ssZ`; from here on every fixed position exists.
  if (s.length < 20) return false;
  const century = pair(s, 0);
  const yy = pair(s, 2);
  const month = pair(s, 5);
  const day = pair(s, 8);
  const hour = pair(s, 11);
  const minute = pair(s, 14);
  const second = pair(s, 17);
  if ((century | yy | month | day | hour | minute | second) < 0) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month]!) || hour > 23 || minute > 59 || second > 60) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    if (!isDigit(s.charCodeAt(++i))) return false;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  const zone = s.charCodeAt(i);
  let offset = 0;
  if (zone === 43 || zone === 45) {
    if (i + 6 !== s.length || s.charCodeAt(i + 3) !== 58) return false;
    const zoneHour = pair(s, i + 1);
    const zoneMinute = pair(s, i + 4);
    if (zoneHour < 0 || zoneMinute < 0 || zoneHour > 23 || zoneMinute > 59) return false;
    offset = (zone === 43 ? 1 : -1) * (zoneHour * 60 + zoneMinute);
  } else if ((zone !== 90 && zone !== 122) || i + 1 !== s.length) {
    return false;
  }
  return second < 60 || (hour * 60 + minute - offset + 1440) % 1440 === 1439;
}

/** What each ASCII character may be in an email address: `NAME` in the name before `@`, `HOST` in a host name label. */
const NAME = 1;
const HOST = 2;
const EMAIL_CHARS = Uint8Array.from({ length: 128 }, (_, c) => {
  const alnum = isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return (alnum || c === 45 ? NAME | HOST : 0) | (".!#$%&'*+/=?^_`{|}~".includes(String.fromCharCode(c)) ? NAME : 0);
});

/** A host name: dot-separated labels of 1 to 63 letters, digits and inner hyphens, 253 characters at most. */
function hostname(s: string, from: number): boolean {
  if (s.length - from > 253) return false;
  let label = from;
  for (let i = from; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (i === label || i - label > 63 || s.charCodeAt(label) === 45 || s.charCodeAt(i - 1) === 45) return false;
      label = i + 1;
    } else if (c > 127 || (EMAIL_CHARS[c]! & HOST) === 0) {
      return false;
    }
  }
  return true;
}

/** `email` as the engine reads it; a quoted name or a `[…]` address host is left to its own check. */
function email(s: string): boolean {
  if (s.charCodeAt(0) === 34) return format.email!(s);
  // A name of 1 to 64 letters, digits and ".!#$%&'*+/=?^_`{|}~-", neither starting nor ending with a dot nor holding two in a row.
  let at = 0;
  let previous = 46;
  for (; at < s.length; at++) {
    const c = s.charCodeAt(at);
    if (c === 64) break;
    if (c > 127 || (EMAIL_CHARS[c]! & NAME) === 0 || (c === 46 && previous === 46)) return false;
    previous = c;
  }
  if (at === 0 || at > 64 || at === s.length || previous === 46) return false;
  if (s.charCodeAt(at + 1) === 91 && s.charCodeAt(s.length - 1) === 93) return format.email!(s);
  return at + 1 < s.length && hostname(s, at + 1);
}

/** The scanners by format name; any other format uses the engine's check. */
export const fastFormats: Readonly<Record<string, FormatCheck>> = { 'date-time': dateTime, email };
