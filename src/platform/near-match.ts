// The name a misspelt one was probably meant to be: for errors that can say "did you mean".
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';

/**
 * The one of `names` closest to `name`, if it is close enough to be a slip of the keyboard:
 * at most one edit in eight characters (at least one) away (Levenshtein distance, a change
 * of case included), and not the same SType id in another version. Ties go to the first.
 * Undefined when none is, or `name` is among them.
 * @internal
 */
export function nearMatch(name: string, names: readonly string[]): string | undefined {
  if (name.length > LONGEST || names.includes(name)) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(1, name.length >> 3) + 1;
  for (const candidate of names.length > MOST ? names.slice(0, MOST) : names) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue; // that many edits at least
    if (otherVersion(name, candidate)) continue; // `….v2` for `….v1` is another version, not a slip
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Whether two names are one SType's id in two versions (`org.calendar.Event.v1`, `….v2`). */
const otherVersion = (a: string, b: string): boolean => {
  const version = /\.v\d+$/;
  return version.test(a) && version.test(b) && a.replace(version, '') === b.replace(version, '');
};

/**
 * The names weighed at most, and the longest name weighed: the names may come from a peer
 * (a server's list of STypes), and the distance costs the product of two lengths.
 */
const MOST = 1000;
const LONGEST = 256;

/** The Levenshtein distance of `a` and `b` (error paths only: names of a few dozen characters). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 0; i < a.length; i++) {
    const row = [i + 1];
    for (let j = 0; j < b.length; j++) row.push(Math.min(previous[j + 1]! + 1, row[j]! + 1, previous[j]! + (a[i] === b[j] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * ` (did you mean "x" for "y"?)` for each of `given` that is near one of `known` and not
 * among them, unless that one was given too (offering `…Event.v1` and `…Event.v2` to a server
 * with only v1 is no slip); empty when none is.
 * @internal
 */
export function didYouMean(given: readonly string[], known: readonly string[]): string {
  const hints = given.flatMap((name) => {
    const near = nearMatch(name, known);
    return near === undefined || given.includes(near) ? [] : [`"${near}" for "${name}"`];
  });
  return hints.length ? ` (did you mean ${hints.join(', ')}?)` : '';
}

/**
 * The error of a send whose SType (`stype`, an id) the handshake did not negotiate: one the
 * session never offered (add it to `config.stypes`), or one the server did not take; with
 * the negotiated SType it is a slip away from, if any.
 * @internal
 */
export function notNegotiated(stype: string, common: readonly string[], commonIds: readonly string[], endpoint: string, details: { commonStypes: readonly string[]; offered: boolean }): UnknownStypeError {
  const near = nearMatch(stype, commonIds);
  const why = details.offered ? 'the server did not take it in the handshake' : 'it is not in config.stypes';
  return new UnknownStypeError(stype, 'the STypes negotiated with the server', {
    message: `${stype} was not negotiated with ${endpoint}: ${why}${near ? `; did you mean ${near}?` : ''} (common STypes: ${common.join(', ') || 'none'})`,
    details,
  });
}
