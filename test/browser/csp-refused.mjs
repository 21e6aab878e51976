// A page whose Content-Security-Policy lets scripts run but not WebAssembly compile (no
// 'wasm-unsafe-eval'): every hash must fail with E-WASM-LOAD saying what to add, at once,
// without fetching the module again or trying the inlined copy (the stage counts the
// requests). Results in window.__cspRefused.
const { semanticHash, loadHasher, MplError } = await import('/mpl-sdk-strict');
const violations = [];
document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
const failures = [];
for (const attempt of [() => semanticHash({ status: 'alive' }), () => semanticHash({ status: 'alive' }), () => loadHasher()]) {
  try {
    await attempt();
    failures.push({ resolved: true });
  } catch (error) {
    failures.push({ isMplError: error instanceof MplError, code: error?.code, message: String(error?.message), policy: error?.details?.contentSecurityPolicy === true });
  }
}
await new Promise((resolve) => setTimeout(resolve, 100)); // violation events are queued as tasks
window.__cspRefused = { failures, violations };
document.getElementById('log').textContent = JSON.stringify(window.__cspRefused, null, 2);
