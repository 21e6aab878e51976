// The portable conformance suite: every case module, in order. A runtime's runner imports
// the package its own way, then calls `runConformance(sdk, env)`.
//   env.assetsUrl   base URL of the test assets server (fixtures), always given
//   env.serverUrl   http:// URL of the reference MPL server; env.wsUrl its ws:// URL
//   env.serverControlUrl  the reference server's test-control endpoint (GET …/recorded,
//                   POST …/push?stype=S, POST …/drop-websockets; see reference.mjs)
//   env.strictServerUrl, env.strictWsUrl: the same server behaving like the reference proxy
//                   in strict mode (production, id-less replies, `ai-alpn-response`)
//   env.peerUrl, env.peerWsUrl: a scripted peer that answers with exact upstream literals
//                   (POST …/__script queues them; see test/support/mpl-test-server.ts)
//   env.secondCopy  a second, separately loaded copy of the package, when the runtime can load one
import { collect, runCases } from './harness.mjs';
import * as stype from './cases/stype.mjs';
import * as envelope from './cases/envelope.mjs';
import * as errors from './cases/errors.mjs';
import * as hashing from './cases/hashing.mjs';
import * as qom from './cases/qom.mjs';
import * as registry from './cases/registry.mjs';
import * as session from './cases/session.mjs';
import * as reconnect from './cases/reconnect.mjs';
import * as proxyInterop from './cases/proxy-interop.mjs';
import * as client from './cases/client.mjs';
import * as peerShapes from './cases/peer-shapes.mjs';

export const modules = { stype, envelope, errors, hashing, qom, registry, session, reconnect, proxyInterop, client, peerShapes };

/**
 * Registers and runs every case. Never rejects: a failure to set up a module is itself a
 * failed case. Resolves with `{ passed, failed, results }`.
 */
export async function runConformance(sdk, env, onResult) {
  const { cases, test } = collect();
  for (const [name, mod] of Object.entries(modules)) {
    const prefix = (caseName, fn, options) => test(`${name}: ${caseName}`, fn, options);
    try {
      const setup = mod.register(prefix, { sdk, env });
      if (setup && typeof setup.then === 'function') await setup;
    } catch (error) {
      test(`${name}: set-up`, () => { throw error; });
    }
  }
  return runCases(cases, onResult);
}
