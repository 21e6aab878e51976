// workerd runner: a Worker whose fetch() runs the portable suite and answers with the
// results as JSON. Bundled by esbuild with the `workerd` condition first (as wrangler
// does); `./sdk-copy.mjs` is a second, separately bundled copy of the package.
import * as sdk from 'mpl-sdk';
import * as qom from 'mpl-sdk/qom';
import * as secondCopy from './sdk-copy.mjs';
import { runConformance } from '../../conformance/index.mjs';

export default {
  async fetch(request, bindings) {
    const env = { ...JSON.parse(bindings.CONFORMANCE_ENV), runtime: 'workerd', secondCopy };
    const result = await runConformance({ ...sdk, ...qom }, env);
    return Response.json(result);
  },
};
