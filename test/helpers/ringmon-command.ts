/**
 * One `ringmon` command run to its end, as a user's shell runs it: its exit
 * code (-1 when a signal or a timeout ended it), stdout and stderr. For the
 * long-running ones (serve, agent) see ringmon-process.ts.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ringmon.js');

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly cwd: string;
  /** Over the test's own environment; undefined removes a variable (RINGMON_TOKEN, say). */
  readonly env?: Record<string, string | undefined>;
  /** Written to its standard input, which is then closed (closed at once without it). */
  readonly stdin?: string;
  readonly timeoutMs?: number;
}

export function runRingmon(args: readonly string[], options: CommandOptions): Promise<CommandRun> {
  const env = options.env === undefined ? process.env : { ...process.env, ...options.env };
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: options.cwd, env, maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 0 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}
