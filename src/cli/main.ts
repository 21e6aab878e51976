// The `mpl-sdk` command: dispatches to one subcommand per file, answers --help, and turns
// every error into one line on stderr and an exit code (2 for usage, 1 otherwise, or the
// command's own: `validate` answers 2 when it could not tell).
import { check } from './check.ts';
import { CommandFailure, UsageError, type Command, type Io } from './command.ts';
import { hash } from './hash.ts';
import { types } from './types.ts';
import { validate } from './validate.ts';

const COMMANDS: readonly Command[] = [types, hash, validate, check];

const HELP = `Usage: mpl-sdk <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run mpl-sdk <command> --help for its options.`;

/** `--help` or `-h` before a `--` (after it, `-h` is a file name). */
const wantsHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** Runs `mpl-sdk <args>`; resolves with the exit code. */
export async function run(args: string[], io: Io): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`mpl-sdk: unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see mpl-sdk --help)\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (error instanceof UsageError) {
      io.err(`mpl-sdk ${name}: ${message} (see mpl-sdk ${name} --help)\n`);
      return 2;
    }
    io.err(`mpl-sdk ${name}: ${message}\n`);
    return error instanceof CommandFailure ? error.exitCode : 1;
  }
}
