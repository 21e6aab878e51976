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
