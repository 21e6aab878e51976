/**
 * How a `Client` reports failures. `Development` (the default) hands every failure back in
 * the result (`valid: false`, `error`), so a script keeps going and shows what went wrong;
 * `Production` throws the matching `MplError`.
 *
 * @example
 * const client = new Client('http://127.0.0.1:9443/mcp', { mode: Mode.Production });
 */
export const Mode = {
  Development: 'development',
  Production: 'production',
} as const;

/**
 * `'development' | 'production'`.
 *
 * @example
 * const mode: Mode = strict ? Mode.Production : Mode.Development; // the plain strings work too
 * const client = new Client('http://127.0.0.1:9443/mcp', { mode });
 */
export type Mode = (typeof Mode)[keyof typeof Mode];
