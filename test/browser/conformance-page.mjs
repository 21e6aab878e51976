// The browser runner: imports the package through `/mpl-sdk`, which the assets server
// redirects to the file the package's `exports` map gives the `browser` condition (the
// module's URL is then that file, so its relative imports and its .wasm resolve as for
// any user); `/mpl-sdk/qom` likewise for mpl-sdk/qom. `/mpl-sdk-copy` is the same files under other URLs: a second, separate copy.
import * as sdk from '/mpl-sdk';
import * as qom from '/mpl-sdk/qom';
import * as secondCopy from '/mpl-sdk-copy';
import { runConformance } from '/conformance/index.mjs';

const log = document.getElementById('log');
const env = JSON.parse(new URLSearchParams(location.search).get('env') ?? '{}');
env.runtime = navigator.userAgent.includes('Firefox') ? 'firefox' : 'chromium';
env.secondCopy = secondCopy;

function cspIsEnforced() {
  try {
    // eslint-disable-next-line no-eval
    (0, eval)('1');
    return false;
  } catch (error) {
    return error instanceof EvalError;
  }
}

const result = await runConformance({ ...sdk, ...qom }, env, (r) => { log.textContent += `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n     ${r.error}`}\n`; });
const problems = [...window.__pageProblems]; // before the eval probe, which is itself reported as a violation
const evalRefused = cspIsEnforced();
const csp = { name: 'page: runs under the strict CSP (eval refused, no violation reported)', ok: evalRefused && problems.length === 0 };
if (!csp.ok) csp.error = `eval refused: ${evalRefused}; problems: ${problems.join(' | ') || 'none'}`;
result.results.push(csp);
result[csp.ok ? 'passed' : 'failed'] += 1;

// The hasher should have fetched blake3.wasm from beside the bundle (served as
// application/wasm), not fallen back to the inlined copy, which costs 19 KB more.
const loaded = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
const wasm = { name: 'page: the hasher fetched blake3.wasm beside the bundle, not the inlined fallback', ok: loaded.includes('/pkg/dist/blake3.wasm') && !loaded.some((p) => p.includes('blake3-inline')) };
if (!wasm.ok) wasm.error = `resources loaded: ${loaded.filter((p) => p.includes('blake3')).join(', ') || 'no blake3 file'}`;
result.results.push(wasm);
result[wasm.ok ? 'passed' : 'failed'] += 1;
window.__conformance = result;
