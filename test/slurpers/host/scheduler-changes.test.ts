/**
 * Instances added to and removed from a running scheduler (a reload): an
 * added one runs on its own schedule; a removed one's run in flight is
 * cut, nothing of it sunk, and remove resolves once it has settled; a name
 * added again after its removal runs as new, never beside its old self;
 * the other instances run on undisturbed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineSlurper, Type } from '../../../slurpers/contract.js';
import type { ScheduledInstance } from '../../../slurpers/host/prepare-instances.js';
import { startScheduler, type Scheduler } from '../../../slurpers/host/scheduler.js';
import { constant, sleep } from './helpers.js';

let running: Scheduler | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const every = (name: string, slurper: ScheduledInstance['slurper'], seconds = 0.2, timeoutSeconds = 0.2): ScheduledInstance => ({ name, slurper, schedule: { every: seconds }, timeoutSeconds, options: {} });

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** A slurper that notes when each run starts and ends, and waits `ms` in between (or until aborted). */
function noting(ms: number): { slurper: ScheduledInstance['slurper']; runs: { instance: string; start: number; end?: number; aborted?: boolean }[] } {
  const runs: { instance: string; start: number; end?: number; aborted?: boolean }[] = [];
  const slurper = defineSlurper({
    name: 'noting',
    description: 'Notes its runs.',
    options: Type.Object({}),
    collect: async (ctx) => {
      const run: (typeof runs)[number] = { instance: ctx.instance, start: performance.now() };
      runs.push(run);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        ctx.signal.addEventListener('abort', () => (clearTimeout(timer), (run.aborted = true), resolve()), { once: true });
      });
      run.end = performance.now();
      return [{ series: 'value', value: 1 }];
    },
  });
  return { slurper, runs };
}

describe('Scheduler.add and remove', () => {
  it('runs an added instance, cuts a removed one cleanly, and leaves the others running', async () => {
    const sunk: string[] = [];
    const slow = noting(2000);
    running = startScheduler({ instances: [every('kept', constant(1)), every('slow', slow.slurper, 3, 3)], maxJitterSeconds: 0.05, sink: async (_s, instance) => void sunk.push(instance) });
    running.add(every('added', constant(2)));
    expect(() => running!.add(every('kept', constant(3)))).toThrow(/kept/);
    await until(() => sunk.filter((i) => i === 'added').length >= 2 && slow.runs.length === 1);

    const removing = running.remove('slow');
    await removing;
    expect(slow.runs[0].aborted, 'the run in flight was cut').toBe(true);
    expect(sunk).not.toContain('slow');
    expect(running.health().map((h) => h.instance).sort()).toEqual(['added', 'kept']);
    const keptBefore = sunk.filter((i) => i === 'kept').length;
    await sleep(700);
    expect(sunk.filter((i) => i === 'kept').length).toBeGreaterThan(keptBefore + 1);
    expect(slow.runs).toHaveLength(1);
    await running.remove('nothing-of-that-name');
  });

  it('runs a name added again after its removal as new, never beside its old self', async () => {
    const noted = noting(150);
    running = startScheduler({ instances: [every('web', noted.slurper)], maxJitterSeconds: 0.05, sink: async () => {} });
    await until(() => noted.runs.length >= 2);
    for (let i = 0; i < 3; i++) {
      await running.remove('web');
      running.add(every('web', noted.slurper));
      await sleep(120);
    }
    await until(() => noted.runs.filter((r) => r.end !== undefined).length >= noted.runs.length - 1 && noted.runs.length >= 6);
    for (let i = 1; i < noted.runs.length; i++) expect(noted.runs[i].start).toBeGreaterThanOrEqual(noted.runs[i - 1].end ?? Infinity);
  });
});
