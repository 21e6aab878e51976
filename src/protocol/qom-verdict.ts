import { isJsonObject } from './json.ts';
import type { QomReport } from './types.ts';

/**
 * Whether a wire QoM report declares a breach itself: a verdict (`meets_profile` or
 * `meetsProfile`) that is anything but `true` (`false`, and also `"false"`, `0`, `null`, or
 * the two spellings disagreeing: never read as a pass), or failures listed in any form.
 * `readQomReport`'s `reportedBreach`; here, apart from QoM evaluation, so a session can tell
 * without loading it.
 * @internal
 */
export function declaresBreach(report: QomReport): boolean {
  if (!isJsonObject(report)) return false;
  const verdicts = [report['meets_profile'], report['meetsProfile']].filter((v) => v !== undefined);
  const failures = report['failures'];
  return verdicts.some((v) => v !== true) || (Array.isArray(failures) && failures.length > 0);
}
