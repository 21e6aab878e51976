// How an options object from plain JavaScript (no compiler to catch a typo) is checked when
// the thing it configures is made: the Session's config, `httpRegistry`'s options.
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

/** What an option must be, and the test of a value given for it. */
export type Rule = readonly [expected: string, test: (value: unknown) => boolean];

/** Throws `E-INVALID-ARGUMENT`: the option at `where` (`config.timeoutMs`) of `owner` (`Session`) holds `value`, and must be `expected`. */
export function badOption(owner: string, where: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : Array.isArray(value) ? 'an array' : String(value);
  throw new MplError(ErrorCode.InvalidArgument, `${owner} ${where} must be ${expected}, got ${shown}`, { details: { option: where } });
}

/**
 * Each option of `options` is one of `rules` (a misspelt one would be ignored without a
 * word), and each that is given (not `undefined`) passes its rule; else `E-INVALID-ARGUMENT`
 * names it (`prefix` + its name).
 */
export function checkOptions(owner: string, options: object, rules: Record<string, Rule>, prefix: string): void {
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(rules, name)) {
      throw new MplError(ErrorCode.InvalidArgument, `${owner} ${prefix}${name} is not an option (the options are ${Object.keys(rules).join(', ')})`, { details: { option: prefix + name } });
    }
    const value = (options as Record<string, unknown>)[name];
    const [expected, test] = rules[name]!;
    if (value !== undefined && !test(value)) badOption(owner, prefix + name, expected, value);
  }
}

export const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);
export const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;
export const ofType = (type: 'boolean' | 'string' | 'function'): Rule => [`a ${type}`, (value) => typeof value === type];
