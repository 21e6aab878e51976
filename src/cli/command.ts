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

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs, strict (`--help` is answered before); its errors become UsageErrors. */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The text of a file, or of stdin for `-` (or no file). */
async function readInput(file: string | undefined, io: Io): Promise<{ text: string; name: string }> {
  if (file === undefined || file === '-') return { text: await io.stdin(), name: 'stdin' };
  try {
    return { text: await readFile(file, 'utf8'), name: file };
  } catch (error) {
    throw new Error(`${file} cannot be read: ${(error as Error).message}`);
  }
}

/** A JSON file (or stdin) parsed, or an error naming it. */
export async function readJsonInput(file: string | undefined, io: Io): Promise<{ value: unknown; name: string }> {
  const { text, name } = await readInput(file, io);
  try {
    // A UTF-8 byte order mark (editors on Windows write one) is not part of the JSON text.
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), name };
  } catch (error) {
    throw new Error(`${name} is not JSON: ${(error as Error).message}`);
  }
}

/** At most `max` positional arguments, or a UsageError. */
export function positionals(list: string[], max: number, what: string): string[] {
  if (list.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(list[max])} (${what})`);
  return list;
}
