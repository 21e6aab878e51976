// A module service worker importing the package (test/browser/service-worker.html registers
// it): the HTML specification forbids import() there, so the parts the SDK loads on first
// use fail; each must fail with E-MODULE-LOAD saying what to do. It answers the page's
// message with what it saw.
import { semanticHash, MplError } from '/pkg/dist/index.js'; // no redirect: Chromium starts no service worker whose imports redirect

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  event.waitUntil(semanticHash({ status: 'alive' }).then(
    (hash) => ({ resolved: hash }),
    (error) => ({ isMplError: error instanceof MplError, code: error?.code, message: String(error?.message) }),
  ).then((result) => event.source.postMessage(result)));
});
