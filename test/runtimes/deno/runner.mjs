// Deno runner: `import 'npm:mpl-sdk'`, resolved offline from a project folder whose
// node_modules holds the package (deno.json `"nodeModulesDir": "manual"`), so Deno picks
// the `deno` condition itself. Runs with --allow-net only: no file or env access.
// `mpl-sdk-second-copy` is mapped by the orchestrator's deno.json to a second installed
// copy of the package (static import: a computed one would need --allow-read). Usage: deno run --allow-net --config <dir>/deno.json runner.mjs '<env json>'
import * as sdk from 'npm:mpl-sdk';
import * as qom from 'npm:mpl-sdk/qom';
import * as secondCopy from 'mpl-sdk-second-copy';
import { runConformance } from '../../conformance/index.mjs';

const env = JSON.parse(Deno.args[0] ?? '{}');
env.runtime = 'deno';
env.secondCopy = secondCopy;
const result = await runConformance({ ...sdk, ...qom }, env);
console.log(`@@mpl-conformance ${JSON.stringify({ ...result, entry: import.meta.resolve('npm:mpl-sdk') })}`);
