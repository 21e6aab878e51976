// Registers the module service worker beside this page and asks it to hash; its answer
// goes to window.__serviceWorker (or why it could not be asked).
try {
  await navigator.serviceWorker.register('./service-worker.mjs', { type: 'module', scope: './' });
  const worker = (await navigator.serviceWorker.ready).active;
  const answer = new Promise((resolve) => navigator.serviceWorker.addEventListener('message', (event) => resolve(event.data), { once: true }));
  worker.postMessage('hash');
  window.__serviceWorker = await answer;
} catch (error) {
  window.__serviceWorker = { unavailable: String(error?.message ?? error) };
}
document.getElementById('log').textContent = JSON.stringify(window.__serviceWorker, null, 2);
