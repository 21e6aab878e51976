// `mpl-sdk validate`: a payload against the schema of its SType.
import { SchemaValidator, SType } from '../index.ts';
import { CommandFailure, parse, positionals, readJsonInput, UsageError, type Command } from './command.ts';
import { registryAt } from './registry-arg.ts';

export const validate: Command = {
  name: 'validate',
  summary: 'check a JSON payload against the schema of an SType',
  help: `Usage: mpl-sdk validate --stype <SType> [--registry <dir|url>] [--json] [file|-]

Validates the JSON payload in <file> (stdin when absent or "-") against the schema of
<SType>, read from the registry (a folder, an http(s) URL, or the SDK's embedded registry
when absent). Prints "valid", or every issue as "<JSON Pointer> <message>" (the pointer
of the payload itself is ""). Exits 0 when the payload is valid, 1 when it is invalid,
2 when it could not be validated (bad arguments, input that cannot be read or is not
JSON, an SType the registry has no schema for, a registry that cannot be read).

Options:
  --stype <SType>        e.g. org.calendar.Event.v1 (required)
  --registry <dir|url>   where the schemas are
  --json                 print the issues as a JSON array of {path, message, keyword}
  -h, --help             this text`,
  async run(args, io) {
    const { values, positionals: files } = parse(args, { stype: { type: 'string' }, registry: { type: 'string' }, json: { type: 'boolean' } });
    if (values.stype === undefined) throw new UsageError('--stype <SType> is required');
    try {
      SType.parse(values.stype);
    } catch (error) {
      throw new UsageError(`--stype: ${(error as Error).message}`);
    }
    const [file] = positionals(files, 1, 'validate takes one file');
    let issues;
    let name;
    try {
      const input = await readJsonInput(file, io);
      name = input.name;
      issues = await new SchemaValidator(registryAt(values.registry)).validate(values.stype, input.value);
    } catch (error) {
      throw new CommandFailure((error as Error).message, 2); // not "invalid" (1): it could not tell
    }
    if (values.json) io.out(`${JSON.stringify(issues, null, 2)}\n`);
    else if (issues.length === 0) io.out('valid\n');
    else io.out(issues.map((i) => `${JSON.stringify(i.path)} ${i.message}\n`).join(''));
    if (issues.length > 0) io.err(`${name}: ${issues.length} issue${issues.length === 1 ? '' : 's'} against ${values.stype}\n`);
    return issues.length === 0 ? 0 : 1;
  },
};
