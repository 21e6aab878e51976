// How a runtime's runner hands its results to the orchestrator: one marked line on stdout.
export const RESULT_MARK = '@@mpl-conformance ';

/** Finds the marked result line in a runner's output; undefined when there is none. */
export function readResult(stdout) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_MARK));
  return line === undefined ? undefined : JSON.parse(line.slice(RESULT_MARK.length));
}
