// `mpl-sdk hash`: the canonical form and semantic hash of a JSON value.
import { canonicalize, semanticHash } from '../index.ts';
import { parse, positionals, readJsonInput, type Command } from './command.ts';

export const hash: Command = {
  name: 'hash',
  summary: 'canonical form and semantic hash of a JSON file or stdin',
  help: `Usage: mpl-sdk hash [file|-] [--legacy]

Prints the canonical form of the JSON value in <file> (stdin when absent or "-") on the
first line and its semantic hash (b3:<64 hex>, BLAKE3 of that form) on the second, as
MPL peers compute them (the current layout: numbers of magnitude >= 2^63 as 1e+20).

Options:
  --legacy     the legacy layout (1e20), as peers built with serde_json 1.0.146 or
               older write such numbers
  -h, --help   this text`,
  async run(args, io) {
    const { values, positionals: files } = parse(args, { legacy: { type: 'boolean' } });
    const [file] = positionals(files, 1, 'hash takes one file');
    const { value } = await readJsonInput(file, io);
    const options = { hashLayout: values.legacy ? 'legacy' : 'current' } as const;
    io.out(`${canonicalize(value, options)}\n${await semanticHash(value, options)}\n`);
    return 0;
  },
};
