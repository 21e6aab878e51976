import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { corsHint, describeFailure, fetchFailure } from '../platform/fetch-failure.ts';
import { loadKy } from '../platform/ky.ts';
import { retryNetworkErrors } from '../platform/network-error.ts';
import { requestSignal } from '../platform/request-signal.ts';
import type { HttpRegistryOptions } from './http.ts';

const isRedirect = (response: Response) => response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);

/**
 * GETs `url` as text through ky (timeout, retries of network errors, including Bun's and
 * workerd's, and of 408/429/5xx), following no redirect; the body then has `timeoutMs` of
 * its own. Resolves `undefined` for 404 and
 * 410; any other failure is an `E-REGISTRY` error saying which `what` could not be loaded
 * from which URL, and why.
 */
export async function fetchText(url: string, what: string, registry: string, options: HttpRegistryOptions): Promise<string | undefined> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fail = (reason: string, extra: Record<string, unknown>, cause?: unknown) =>
    new MplError(ErrorCode.Registry, `Cannot load the ${what} from ${registry}: ${reason}`, { details: { url, where: registry, ...extra }, cause });
  const redirected = (response: Response, cause?: unknown) => {
    const location = response.headers.get('location');
    return fail(`${url} redirects${location ? ` to ${location}` : ''}, and the registry follows no redirects`, { status: response.status }, cause);
  };

  const { default: ky } = await loadKy(); // outside the try: a chunk that cannot load is E-MODULE-LOAD, not a network failure
  let response: Response;
  try {
    response = await ky.get(url, {
      timeout: timeoutMs,
      redirect: 'manual',
      retry: {
        limit: options.retry ?? 2,
        methods: ['get'],
        shouldRetry: retryNetworkErrors,
      },
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    const failed = (error as { name?: string; response?: Response }).name === 'HTTPError' ? (error as { response: Response }).response : undefined;
    if (failed && (failed.status === 404 || failed.status === 410)) return undefined;
    if (failed && isRedirect(failed)) throw redirected(failed, error);
    if (failed) throw fail(`GET ${url} answered HTTP ${failed.status}`, { status: failed.status }, error);
    const noAnswer = fetchFailure(error, { url, operation: `GET ${url}`, timeoutMs }) as Error;
    throw fail(noAnswer instanceof TimeoutError ? `GET ${url} timed out after ${timeoutMs} ms` : noAnswer.message, {}, noAnswer);
  }
  if (isRedirect(response)) throw redirected(response);
  // ky's time limit ends with the headers: the body gets one of its own, and is cancelled when it runs out.
  const limit = requestSignal(undefined, timeoutMs);
  try {
    return await limit.race(response.text());
  } catch (error) {
    if (limit.timedOut) {
      response.body?.cancel().catch(() => {});
      throw fail(`the body of ${url} did not come within ${timeoutMs} ms`, {}, error);
    }
    throw fail(`reading the body of ${url} failed: ${describeFailure(error)}${corsHint(url, error)}`, {}, error);
  } finally {
    limit.done();
  }
}
