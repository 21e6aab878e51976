// A browser that blocks a cross-origin reply (no CORS headers, as the MPL proxy sends none)
// gives fetch nothing but a bare TypeError. This says so when the page's origin differs.
export function corsHint(url: string, cause: unknown): string {
  const page = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  if (typeof page !== 'string' || !(cause instanceof Error) || cause.name !== 'TypeError') return '';
  if (new URL(url).origin === page) return '';
  return `. This page (${page}) is on another origin: CORS is the likely cause — the server must send Access-Control-Allow-Origin (the MPL proxy sends no CORS headers; use WebSocket or a same-origin route)`;
}
