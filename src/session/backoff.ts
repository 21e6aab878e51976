import type { ReconnectOptions, Settled } from './config.ts';

/**
 * Delay before reconnection attempt `attempt` (1 = first retry): exponential growth capped
 * at `maxDelayMs`, then "equal jitter" (a random point in the upper half) so that clients
 * dropped together do not come back together.
 */
export function reconnectDelay(attempt: number, options: Settled<Pick<ReconnectOptions, 'minDelayMs' | 'maxDelayMs' | 'growFactor'>>, random: () => number = Math.random): number {
  if (attempt <= 0) return 0;
  const base = Math.min(options.maxDelayMs, options.minDelayMs * options.growFactor ** (attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
