// What every subcommand of `mpl-sdk` shares: its shape, argument parsing, input reading.
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command reads and writes: the process's streams, or a test's buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdin(): Promise<string>;
}

/** One subcommand: `run` resolves with the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: Io): Promise<number>;
}

/** Bad arguments: exit code 2, and a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure whose exit code is not the usual 1 (`validate`: 1 says invalid, so "could not tell" is 2). */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs, strict (`--help` is answered before); its errors become UsageErrors. */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's words for an unknown option suggest passing it as a file after `--`: name the options instead.
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = args.find((arg) => arg.startsWith('-') && arg !== '-' && arg !== '--' && !isOption(arg, options)) ?? 'the option';
      const known = Object.keys(options).map((name) => `--${name}`).join(', ');
      throw new UsageError(`unknown option ${given.split('=')[0]} (the options are ${known})`);
    }
    throw new UsageError((error as Error).message);
  }
}

/** Whether `arg` (`--name`, `--name=value`, `-x`) is one of `options`. */
function isOption(arg: string, options: Options): boolean {
  const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : arg.slice(1);
  return Object.hasOwn(options, name) || Object.values(options).some((option) => option.short === name);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a file (UTF-8: bytes that are not are an error, never read as U+FFFD, as the
 * reference refuses them), or of stdin for `-` (or no file).
 */
async function readInput(file: string | undefined, io: Io): Promise<{ text: string; name: string }> {
  if (file === undefined || file === '-') return { text: await io.stdin(), name: 'stdin' };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`${file} cannot be read: ${(error as Error).message}`);
  }
  return { text: decodeUtf8(bytes, file), name: file };
}

/** UTF-8 bytes as text; an error naming `name` when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text`);
  }
}

/** JSON text without the UTF-8 byte order mark some editors write before it (it is not part of the JSON text). */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** A JSON file (or stdin) parsed, or an error naming it. */
export async function readJsonInput(file: string | undefined, io: Io): Promise<{ value: unknown; name: string }> {
  const { text, name } = await readInput(file, io);
  try {
    return { value: JSON.parse(withoutBom(text)), name };
  } catch (error) {
    // One line (the message may quote the input, newlines and all): the quote escaped, not cut.
    throw new Error(`${name} is not JSON: ${(error as Error).message.replace(/\r?\n/g, '\\n')}`);
  }
}

/** At most `max` positional arguments, or a UsageError. */
export function positionals(list: string[], max: number, what: string): string[] {
  if (list.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(list[max])} (${what})`);
  return list;
}
