/**
 * Why `init` cannot be a request's headers, or `undefined` when it can: the header whose
 * name or value `fetch` would refuse, named, never with its value (a token, often).
 * @internal
 */
export function headersProblem(init: unknown): string | undefined {
  if (init === undefined) return undefined;
  if (accepts(init)) return undefined;
  const entries: unknown[] = Array.isArray(init) ? init : typeof init === 'object' && init !== null ? Object.entries(init) : [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2) return 'each header must be a [name, value] pair';
    const [name, value] = entry.map(String) as [string, string];
    if (!accepts([[name, '']])) return `${JSON.stringify(name)} is not a valid header name`;
    if (!accepts([[name, value]])) return `the value of ${JSON.stringify(name)} is not a valid header value (a line break, or a character outside Latin-1?)`;
  }
  return 'headers must be an object of header names to their values';
}

function accepts(init: unknown): boolean {
  try {
    new Headers(init as HeadersInit);
    return true;
  } catch {
    return false;
  }
}
