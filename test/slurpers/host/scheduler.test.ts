/**
 * The scheduler in real time, with intervals of a few hundred milliseconds.
 * Bounds are loose on purpose: a loaded 2-core machine may run a timer late,
 * so the tests count runs and compare against generous limits, never exact
 * instants.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSlurper, Type, type SlurperDefinition } from '../../../slurpers/contract.js';
import type { Sample } from '../../../slurpers/host/collect-result.js';
import type { ScheduledInstance } from '../../../slurpers/host/prepare-instances.js';
import type { RunOutcome } from '../../../slurpers/host/run-once.js';
import { startScheduler, type Scheduler, type SchedulerOptions } from '../../../slurpers/host/scheduler.js';
import { constant, garbage, hanging, recordingLogger, sleep, throwing } from './helpers.js';

const every = (name: string, slurper: SlurperDefinition, seconds = 0.2, timeoutSeconds = 0.15): ScheduledInstance => ({
  name,
  slurper,
  schedule: { every: seconds },
  timeoutSeconds,
  options: {},
});

interface Sunk {
  readonly instance: string;
  readonly samples: readonly Sample[];
  readonly outcome: RunOutcome;
}

let running: Scheduler | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function start(options: Omit<SchedulerOptions, 'sink'> & { sink?: SchedulerOptions['sink'] }): { sunk: Sunk[]; scheduler: Scheduler } {
  const sunk: Sunk[] = [];
  running = startScheduler({ maxJitterSeconds: 0.1, sink: async (samples, instance, outcome) => void sunk.push({ instance, samples, outcome }), ...options });
  return { sunk, scheduler: running };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const value = (samples: readonly Sample[], series: string) => samples.find((s) => s.series === series)?.value;

describe('startScheduler', () => {
  it('isolates slurpers that throw, hang or return garbage while a good one keeps running', async () => {
    const log = recordingLogger();
    const { sunk, scheduler } = start({
      log,
      instances: [every('good', constant(5)), every('bad.throws', throwing), every('bad.hangs', hanging, 0.2, 0.1), every('bad.garbage', garbage)],
    });
    await until(() => ['good', 'bad.throws', 'bad.hangs', 'bad.garbage'].every((name) => sunk.filter((s) => s.instance === name).length >= 3));
    await scheduler.stop();

    for (const run of sunk.filter((s) => s.instance === 'good')) {
      expect(value(run.samples, 'good.value')).toBe(5);
      expect(value(run.samples, 'good.up')).toBe(1);
      expect(value(run.samples, 'good.duration_seconds')).toBeGreaterThanOrEqual(0);
      expect(value(run.samples, 'good.duration_seconds')).toBeLessThan(1);
    }
    for (const name of ['bad.throws', 'bad.hangs', 'bad.garbage']) {
      for (const run of sunk.filter((s) => s.instance === name)) {
        expect(run.samples.map((s) => [s.series, s.value])).toEqual([
          [`${name}.up`, 0],
          [`${name}.duration_seconds`, run.outcome.durationSeconds],
        ]);
      }
      // Failing for several runs in a row is one state: one line.
      expect(log.lines.filter((l) => l.level === 'warn' && l.message.startsWith(`${name}: failing`))).toHaveLength(1);
    }
    expect(log.lines.find((l) => l.message.startsWith('bad.hangs: failing'))?.message).toBe('bad.hangs: failing: timed out after 0.1 s');
    expect(scheduler.health().find((h) => h.instance === 'good')).toMatchObject({ ok: true, failures: 0 });
    expect(scheduler.health().find((h) => h.instance === 'bad.throws')).toMatchObject({ ok: false, lastError: 'target unreachable: connection refused' });
  });

  it('logs a failure once when it starts and once when it ends', async () => {
    const log = recordingLogger();
    let runs = 0;
    // ok, ok, fail, fail, fail, ok, ok...
    const flaky = defineSlurper({
      name: 'flaky',
      description: 'Fails on its third to fifth run.',
      options: Type.Object({}),
      collect: async () => {
        runs += 1;
        if (runs >= 3 && runs <= 5) throw new Error(`run ${runs} failed`);
        return [];
      },
    });
    const { sunk } = start({ log, instances: [every('flaky', flaky)] });
    await until(() => sunk.length >= 7);
    const states = log.lines.filter((l) => l.level !== 'debug').map((l) => l.message);
    expect(states).toEqual(['flaky: failing: run 3 failed', 'flaky: recovered']);
    expect(sunk.map((s) => value(s.samples, 'flaky.up')).slice(0, 7)).toEqual([1, 1, 0, 0, 0, 1, 1]);
  });

  it('never runs more than `concurrency` at once, and does reach it', async () => {
    let now = 0;
    let most = 0;
    const slow = defineSlurper({
      name: 'slow',
      description: 'Takes a while.',
      options: Type.Object({}),
      collect: async (ctx) => {
        now += 1;
        most = Math.max(most, now);
        await sleep(100);
        now -= 1;
        return [];
      },
    });
    const instances = Array.from({ length: 12 }, (_, i) => every(`slow${i}`, slow, 0.2, 0.2));
    const { sunk } = start({ instances, concurrency: 3, maxJitterSeconds: 0.02 });
    await until(() => sunk.length >= 30);
    expect(most).toBe(3);
  });

  it('skips a turn while the previous run of the instance is still going', async () => {
    const { scheduler } = start({ instances: [every('slowpoke', constant(1), 0.2, 0.15), { ...every('stuck', hanging, 0.2), timeoutSeconds: 30 }] });
    await until(() => (scheduler.health().find((h) => h.instance === 'stuck')?.skipped ?? 0) >= 3);
    expect(scheduler.health().find((h) => h.instance === 'stuck')).toMatchObject({ runs: 0 });
  });

  it('stop() aborts runs in flight, resolves when they have finished, and sinks nothing for them', async () => {
    let started = false;
    let childPid: number | undefined;
    const sleeper = defineSlurper({
      name: 'sleeper',
      description: 'Runs a long command.',
      options: Type.Object({}),
      collect: async (ctx) => {
        started = true;
        const child = ctx.runCommand('sleep', ['30']);
        childPid = await findChild();
        await child;
        return [];
      },
    });
    const { sunk, scheduler } = start({ instances: [{ ...every('sleeper', sleeper, 0.2), timeoutSeconds: 60 }] });
    await until(() => started && childPid !== undefined);
    const begun = Date.now();
    await scheduler.stop();
    expect(Date.now() - begun).toBeLessThan(5000);
    expect(sunk).toEqual([]);
    // SIGKILL has been sent; the kernel may take a moment to end it (a zombie until Node reaps it counts as ended).
    await until(() => !isRunning(childPid!), 5000);
  });

  it('runs cron instances when node-cron says', async () => {
    const { sunk } = start({ instances: [{ name: 'cron', slurper: constant(2), schedule: { cron: '* * * * * *' }, timeoutSeconds: 0.5, options: {} }] });
    await until(() => sunk.length >= 2, 10_000);
    expect(value(sunk[0].samples, 'cron.value')).toBe(2);
  });

  it('logs a sink that refuses samples once, and its recovery', async () => {
    const log = recordingLogger();
    let calls = 0;
    start({
      log,
      instances: [every('a', constant(1))],
      sink: async () => {
        calls += 1;
        if (calls <= 3) throw new Error('journal is full');
      },
    });
    await until(() => calls >= 5);
    expect(log.lines.filter((l) => l.level !== 'debug').map((l) => l.message)).toEqual(['a: samples could not be stored: journal is full', 'a: samples are stored again']);
  });
});

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pid of the `sleep 30` the test's slurper started (a child of this process). */
async function findChild(): Promise<number | undefined> {
  const { readdir, readFile } = await import('node:fs/promises');
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline === 'sleep\u000030\u0000' && stat.split(') ')[1]?.split(' ')[1] === String(process.pid)) return Number(pid);
    }
    await sleep(20);
  }
  return undefined;
}
