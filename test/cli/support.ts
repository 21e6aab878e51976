// Runs a command as a child process, feeding its stdin; collects its output and exit code.
import { spawn } from 'node:child_process';

export interface Run { code: number | null; stdout: string; stderr: string }

export function runProcess(cmd: string, args: string[], { stdin = '', cwd, env }: { stdin?: string; cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
