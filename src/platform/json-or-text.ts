/**
 * A text received over HTTP: its JSON value when it parses, else the text itself, so that
 * nothing is dropped. (An empty body is each caller's to name: `undefined`, `null`.)
 *
 * @example
 * jsonOrText('{"a":1}'); // { a: 1 }
 * jsonOrText('Bad Gateway'); // 'Bad Gateway'
 */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
