// The reference server for one describe block of the Client's tests: started (quiet) before
// its tests, closed after them.
import { after, before } from 'node:test';
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../../../demo/server/index.ts';

/** Starts a reference server with `options` for the enclosing describe block; call the result for the running server. */
export function useReferenceServer(options: ReferenceServerOptions = {}): () => ReferenceServer {
  let server: ReferenceServer | undefined;
  before(async () => {
    server = await startReferenceServer({ quiet: true, ...options });
  });
  after(() => server?.close());
  return () => server!;
}
