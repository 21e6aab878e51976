import { isJsonObject } from './json.ts';
import type { QomReport } from './types.ts';

/**
 * Whether a wire QoM report declares a breach itself: `meets_profile` (or `meetsProfile`)
 * false, or failures listed. `readQomReport`'s `reportedBreach`; here, apart from QoM
 * evaluation, so a session can tell without loading it.
 * @internal
 */
export function declaresBreach(report: QomReport): boolean {
  if (!isJsonObject(report)) return false;
  const verdict = report['meets_profile'] ?? report['meetsProfile'];
  const failures = report['failures'];
  return verdict === false || (Array.isArray(failures) && failures.some(isJsonObject));
}
