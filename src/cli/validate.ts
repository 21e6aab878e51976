// `mpl-sdk validate`: a payload against the schema of its SType.
import { SchemaValidator } from '../index.ts';
import { parse, positionals, readJsonInput, UsageError, type Command } from './command.ts';
import { registryAt } from './registry-arg.ts';

export const validate: Command = {
  name: 'validate',
  summary: 'check a JSON payload against the schema of an SType',
  help: `Usage: mpl-sdk validate --stype <SType> [--registry <dir|url>] [--json] [file|-]

Validates the JSON payload in <file> (stdin when absent or "-") against the schema of
<SType>, read from the registry (a folder, an http(s) URL, or the SDK's embedded registry
when absent). Prints "valid", or every issue as "<JSON Pointer> <message>" (the pointer
of the payload itself is ""), and exits 1 when the payload is invalid.

Options:
  --stype <SType>        e.g. org.calendar.Event.v1 (required)
  --registry <dir|url>   where the schemas are
  --json                 print the issues as a JSON array of {path, message, keyword}
  -h, --help             this text`,
  async run(args, io) {
    const { values, positionals: files } = parse(args, { stype: { type: 'string' }, registry: { type: 'string' }, json: { type: 'boolean' } });
    if (values.stype === undefined) throw new UsageError('--stype <SType> is required');
    const [file] = positionals(files, 1, 'validate takes one file');
    const { value, name } = await readJsonInput(file, io);
    const issues = await new SchemaValidator(registryAt(values.registry)).validate(values.stype, value);
    if (values.json) io.out(`${JSON.stringify(issues, null, 2)}\n`);
    else if (issues.length === 0) io.out('valid\n');
    else io.out(issues.map((i) => `${JSON.stringify(i.path)} ${i.message}\n`).join(''));
    if (issues.length > 0) io.err(`${name}: ${issues.length} issue${issues.length === 1 ? '' : 's'} against ${values.stype}\n`);
    return issues.length === 0 ? 0 : 1;
  },
};
