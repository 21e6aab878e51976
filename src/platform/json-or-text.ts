import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
/**
 * A text received over HTTP: its JSON value when it parses, else the text itself, so that
 * nothing is dropped; and whether it was JSON (a 2xx that is not is no MPL reply). An empty
 * body is `{ value: undefined, json: false }`: each caller names it (`undefined`, `null`).
 *
 * @example
 * readJsonOrText('{"a":1}');     // { value: { a: 1 }, json: true }
 * readJsonOrText('Bad Gateway'); // { value: 'Bad Gateway', json: false }
 */
export function readJsonOrText(text: string): { value: unknown; json: boolean } {
  if (text === '') return { value: undefined, json: false };
  try {
    return { value: JSON.parse(text), json: true };
  } catch {
    return { value: text, json: false };
  }
}

/**
 * The value of {@link readJsonOrText}: JSON when it parses, else the text.
 *
 * @example
 * jsonOrText('{"a":1}'); // { a: 1 }
 * jsonOrText('Bad Gateway'); // 'Bad Gateway'
 */
export const jsonOrText = (text: string): unknown => (text === '' ? '' : readJsonOrText(text).value);

/**
 * The error of a 2xx answer that is not JSON (an HTML login page, a bare "OK", an empty
 * body, a 204: a captive portal, a misrouted proxy): no MPL reply, never taken for one.
 * The Session's HTTP link and the Client say it alike.
 */
export function notJsonReply(operation: string, endpoint: string, status: number, contentType: string | null | undefined, body: unknown): MplError {
  const empty = body === undefined || body === null || body === '';
  const got = empty ? 'an empty body' : `a body that is not JSON (${contentType ?? 'no content-type'}): ${JSON.stringify(String(body).slice(0, 200))}`;
  return new MplError(ErrorCode.InvalidEnvelope, `${operation}: ${endpoint} answered HTTP ${status} with ${got}, which is no MPL reply`, {
    details: { endpoint, status, contentType: contentType ?? undefined, body: typeof body === 'string' ? body.slice(0, 200) : body },
  });
}
