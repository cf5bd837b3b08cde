/**
 * `ctx.runCommand`: runs a program without a shell, bounded in time (the
 * run's signal) and in output, and never leaves its process tree behind.
 *
 * The child gets its own process group (detached), so that on abort the
 * whole group is killed: a plugin script that forks `sleep 600` must not
 * outlive the run that started it.
 */
import { spawn } from 'node:child_process';
import type { CommandResult, RunCommandOptions } from '../contract.js';

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** stderr is for messages; beyond this it is cut, not an error. */
const MAX_STDERR = 64 * 1024;

/** Thrown by runCommand; the message names the command and what went wrong. */
export class CommandError extends Error {
  override name = 'CommandError';
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone (ESRCH): nothing left to kill.
  }
}

function reasonText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}

/**
 * Runs `file` with `args`; resolves with its exit status and output once it
 * has exited and closed its output. Rejects with a CommandError when it
 * cannot start, when stdout passes `maxOutputBytes`, or when `signal`
 * aborts (the process group is killed first). A non-zero exit is a result,
 * not an error: Nagios plugins speak through it.
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions, signal: AbortSignal): Promise<CommandResult> {
  const label = [file, ...args].join(' ');
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  if (signal.aborted) return Promise.reject(new CommandError(`${label}: not started: ${reasonText(signal)}`));

  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let settled = false;

    const finish = (error: CommandError | undefined, result?: CommandResult): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        killGroup(child.pid);
        child.stdout.destroy();
        child.stderr.destroy();
        child.stdin.destroy();
        reject(error);
      } else if (result) {
        resolve(result);
      }
    };
    const onAbort = (): void => finish(new CommandError(`${label}: killed: ${reasonText(signal)}`));
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
      finish(new CommandError(`${label}: cannot run: ${why}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutput) finish(new CommandError(`${label}: killed: wrote more than ${maxOutput} bytes to stdout`));
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR) stderr.push(chunk.subarray(0, MAX_STDERR - stderrBytes));
      stderrBytes += chunk.length;
    });
    child.on('close', (exitCode, exitSignal) => {
      finish(undefined, {
        exitCode,
        signal: exitSignal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });

    // A program that does not read its stdin closes it early; that EPIPE is not the run's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
