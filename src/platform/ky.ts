import type { KyInstance, Options } from 'ky';

type KyModule = typeof import('./ky-module.ts');
let loading: Promise<KyModule> | undefined;

/**
 * ky, loaded on first use: it becomes a chunk of its own, so a page that makes no HTTP
 * request (a WebSocket-only session) never downloads it.
 */
export function loadKy(): Promise<KyModule> {
  loading ??= import('./ky-module.ts').catch((error: unknown) => {
    loading = undefined; // a failed chunk load may succeed later
    throw error;
  });
  return loading;
}

/** A ky instance with `defaults`, created when first asked for (loading ky then). */
export function lazyKy(defaults: Options): () => Promise<KyInstance> {
  let instance: Promise<KyInstance> | undefined;
  return () => (instance ??= loadKy().then(({ default: ky }) => ky.create(defaults)));
}
