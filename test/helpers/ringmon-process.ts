/**
 * `ringmon ARGS` as a real child process of a test, in a given folder: its
 * output collected, its exit awaitable, SIGTERM on stop, and every child a
 * launcher started killed by `killAll` (call it in afterAll, or take the
 * launcher of a fresh folder from launcherInTempDir, which does). `serve` starts
 * `ringmon serve` and waits until it answers; `serveIn` first writes its
 * config (server-config.ts) and makes its data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './free-port.js';
import { testServerYaml, type ConfigSections, type TestServerConfig } from './server-config.js';
import { sleep } from './wait.js';

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

/** A `ringmon serve` started by RingmonLauncher.serveIn. */
export interface ServedFolder {
  readonly proc: RingmonProcess;
  /** http://127.0.0.1:port */
  readonly base: string;
  readonly port: number;
  readonly dataDir: string;
  /** The path of its ringmon.yaml. */
  readonly config: string;
}

export interface RingmonLauncher {
  run(args: string[], env?: Record<string, string>): RingmonProcess;
  /**
   * `ringmon serve --config CONFIG`, resolved once `base`/healthz answers 200;
   * rejects with what it wrote when it exits first or has not answered within `timeoutMs`.
   */
  serve(config: string, base: string, timeoutMs?: number): Promise<RingmonProcess>;
  /**
   * `ringmon serve` of `folder`: data in folder/data (made), folder/ringmon.yaml
   * written by testServerYaml from `config` (a free port unless it names one)
   * and `more`, then started as by `serve` (60 s to answer).
   */
  serveIn(folder: string, config: Partial<TestServerConfig>, ...more: ConfigSections[]): Promise<ServedFolder>;
  killAll(): void;
}

/** Whether `base`/healthz answers 200 now. */
async function healthy(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

export function ringmonLauncher(cwd: string): RingmonLauncher {
  const children: ChildProcess[] = [];
  const run = (args: string[], env: Record<string, string> = {}): RingmonProcess => {
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
  };
  const serve: RingmonLauncher['serve'] = async (config, base, timeoutMs = 60_000) => {
    const proc = run(['serve', '--config', config]);
    let exited = false;
    void proc.exited.then(() => (exited = true));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited) throw new Error(`ringmon serve exited: ${proc.output()}`);
      if (await healthy(base)) return proc;
      if (Date.now() > deadline) throw new Error(`ringmon serve did not answer ${base}/healthz within ${timeoutMs} ms: ${proc.output()}`);
      await sleep(50);
    }
  };
  return {
    run,
    serve,
    async serveIn(folder, config, ...more) {
      const dataDir = join(folder, 'data');
      mkdirSync(dataDir, { recursive: true });
      const port = config.port ?? (await freePort());
      const configFile = join(folder, 'ringmon.yaml');
      writeFileSync(configFile, testServerYaml({ ...config, port, dataDir }, ...more));
      const base = `http://127.0.0.1:${port}`;
      return { proc: await serve(configFile, base), base, port, dataDir, config: configFile };
    },
    killAll() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}

/**
 * A fresh folder under the system's temporary one (named from `prefix`) and
 * a launcher in it, for a test file: registers with vitest's afterAll the
 * killing of every child it started, then the removal of the folder.
 */
export function launcherInTempDir(prefix: string): { readonly dir: string; readonly launcher: RingmonLauncher } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const launcher = ringmonLauncher(dir);
  afterAll(() => {
    launcher.killAll();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, launcher };
}
