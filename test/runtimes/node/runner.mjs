// Node runner: imports the package as its users do (`import 'mpl-sdk'`, here through the
// package's self-reference, which resolves the `node` condition), runs the portable suite,
// prints one marked result line. Usage: node test/runtimes/node/runner.mjs '<env json>'
import * as sdk from 'mpl-sdk';
import * as qom from 'mpl-sdk/qom';
import { runConformance } from '../../conformance/index.mjs';

const env = JSON.parse(process.argv[2] ?? '{}');
env.runtime = 'node';
if (env.secondCopyUrl) env.secondCopy = await import(env.secondCopyUrl.node);
const result = await runConformance({ ...sdk, ...qom }, env);
console.log(`@@mpl-conformance ${JSON.stringify({ ...result, entry: import.meta.resolve('mpl-sdk') })}`);
