import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

/**
 * A part of the SDK kept out of start-up, behind a dynamic import (its own chunk beside the
 * bundle): `load` runs on the first call, and every call shares its promise. A load that
 * fails (an offline page, a file missing from the deployment) rejects with an `MplError`
 * `E-MODULE-LOAD` naming the part, never a bare TypeError; the next call tries again.
 *
 * @example
 * const loadKyModule = onDemand('HTTP client (ky)', () => import('./ky-module.ts'));
 * const { default: ky } = await loadKyModule();
 */
export function onDemand<T>(part: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load().catch((cause: unknown) => {
    loading = undefined;
    const reason = cause instanceof Error ? cause.message : String(cause);
    // The HTML specification forbids dynamic imports in a service worker, whatever the file.
    const where = 'ServiceWorkerGlobalScope' in globalThis ? '; in a service worker nothing loads on demand: bundle it without code splitting' : '';
    throw new MplError(ErrorCode.ModuleLoad, `Could not load mpl-sdk's ${part}, which loads on first use from a file beside the bundle: ${reason}${where}`, { cause, details: { module: part } });
  }));
}

/**
 * One `make(loaded)` for every call, made once `load` (an {@link onDemand} loader, which
 * already shares its promise and forgets a failure) has resolved: a failed load leaves
 * nothing behind, and the next call tries again. What `make` returns is kept as it is: a
 * promise it returns that rejects stays rejected.
 *
 * @example
 * const client = onDemandOne(loadKy, ({ default: ky }) => ky.create({ timeout: 5000 }));
 */
export function onDemandOne<T, R>(load: () => Promise<T>, make: (loaded: T) => R): () => Promise<R> {
  let made: R | undefined;
  return async () => {
    const loaded = await load();
    return (made ??= make(loaded));
  };
}
