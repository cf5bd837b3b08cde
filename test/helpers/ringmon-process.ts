/**
 * `ringmon ARGS` as a real child process of a test, in a given folder: its
 * output collected, its exit awaitable, SIGTERM on stop, and every child a
 * launcher started killed by `killAll` (call it in afterAll).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ringmon.js');

export interface RingmonProcess {
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Asks it to stop (SIGTERM). */
  stop(): void;
  /** Its process id. */
  readonly pid: number;
  /** Sends it `signal` (SIGKILL for a crash). */
  kill(signal: NodeJS.Signals): void;
}

export function ringmonLauncher(cwd: string): { run(args: string[], env?: Record<string, string>): RingmonProcess; killAll(): void } {
  const children: ChildProcess[] = [];
  return {
    run(args, env = {}) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
      children.push(child);
      let output = '';
      for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => (output += d.toString()));
      return {
        output: () => output,
        exited: new Promise((resolve) => child.on('exit', resolve)),
        stop: () => child.kill('SIGTERM'),
        pid: child.pid ?? -1,
        kill: (signal) => child.kill(signal),
      };
    },
    killAll() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}
