// Runs a runtime's runner as a child process and reads its marked result line. Two more
// checks come for free: the runner must print a result, and must exit by itself soon
// after (a timer or socket left behind by the SDK would keep it alive).
import { spawn } from 'node:child_process';
import { readResult } from './report.mjs';

const EXIT_GRACE_MS = 5_000;

/**
 * Spawns `cmd args`, resolves with `{passed, failed, results}` (plus `entry`), never rejects.
 * `timeoutMs` bounds the whole run.
 */
export function runRunner(cmd, args, { cwd, env, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let resultSeenAt;
    let killedFor;
    const kill = (reason) => {
      killedFor ??= reason;
      child.kill('SIGKILL');
    };
    const overall = setTimeout(() => kill(`did not finish within ${timeoutMs} ms`), timeoutMs);
    let grace;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (resultSeenAt === undefined && readResult(stdout)) {
        resultSeenAt = Date.now();
        grace = setTimeout(() => kill(`printed its results but did not exit within ${EXIT_GRACE_MS} ms (something outlives the suite)`), EXIT_GRACE_MS);
      }
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const finish = (code, signal, spawnError) => {
      clearTimeout(overall);
      clearTimeout(grace);
      const result = readResult(stdout) ?? { passed: 0, failed: 0, results: [] };
      const problems = [];
      if (spawnError) problems.push(`could not start ${cmd}: ${spawnError.message}`);
      if (!readResult(stdout)) problems.push(`printed no results (exit ${code ?? signal}${killedFor ? `, ${killedFor}` : ''})\n${tail(stderr || stdout)}`);
      else if (killedFor) problems.push(killedFor);
      else if (code !== 0) problems.push(`exited with ${code ?? signal}\n${tail(stderr)}`);
      for (const error of problems) {
        result.results.push({ name: 'runner: runs the suite and exits cleanly', ok: false, error });
        result.failed += 1;
      }
      result.stderr = stderr;
      resolve(result);
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

function tail(text) {
  return text.split('\n').slice(-25).join('\n');
}
