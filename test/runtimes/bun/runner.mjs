// Bun runner: `import 'mpl-sdk'` (self-reference; Bun picks the `bun` condition), runs the
// portable suite, prints one marked result line. Usage: bun test/runtimes/bun/runner.mjs '<env json>'
import * as sdk from 'mpl-sdk';
import * as qom from 'mpl-sdk/qom';
import { runConformance } from '../../conformance/index.mjs';

const env = JSON.parse(process.argv[2] ?? '{}');
env.runtime = 'bun';
if (env.secondCopyUrl) env.secondCopy = await import(env.secondCopyUrl.bun);
const result = await runConformance({ ...sdk, ...qom }, env);
console.log(`@@mpl-conformance ${JSON.stringify({ ...result, entry: import.meta.resolve('mpl-sdk') })}`);
