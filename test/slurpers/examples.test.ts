/**
 * docs/writing-a-slurper.md shows slurpers/examples/uptime.ts and
 * log-matches.ts: the page must hold the files' exact text, the files must
 * load as a user's files would and must run. (From a folder outside the
 * source tree, in a real ringmon process: host/slurper-modules.test.ts.)
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SlurperDefinition } from '../../slurpers/contract.js';
import { loadSlurperFile, loadSlurperFolder } from '../../slurpers/host/load-slurpers.js';
import { runOnce } from '../../slurpers/host/run-once.js';
import { startScheduler } from '../../slurpers/host/scheduler.js';

const exampleFile = resolve('slurpers/examples/uptime.ts');
const example = readFileSync(exampleFile, 'utf8');
const logExampleFile = resolve('slurpers/examples/log-matches.ts');
const logExample = readFileSync(logExampleFile, 'utf8');
const doc = readFileSync(resolve('docs/writing-a-slurper.md'), 'utf8');

describe('the example of docs/writing-a-slurper.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-example-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is shown in the doc exactly as the file is, importing the contract as a user\'s file does', () => {
    expect(doc).toContain('```ts\n' + example + '```');
    expect(example.split('\n').length).toBeLessThanOrEqual(25);
    expect(example).toContain("from 'ringmon/slurper';");
  });

  it('loads and runs against the real /proc/uptime', async () => {
    const { definition } = await loadSlurperFile(exampleFile);
    const outcome = await runOnce(definition, { name: 'web01.uptime', timeoutSeconds: 5, options: {} });
    expect(outcome.ok).toBe(true);
    const seconds = outcome.samples.find((s) => s.series === 'web01.uptime.seconds');
    const reference = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Math.abs((seconds?.value ?? 0) - reference)).toBeLessThan(5);
    expect(seconds?.thresholds).toEqual({ warning: '3600:' });
    expect(outcome.state?.status).toBe(reference < 3600 ? 'WARNING' : 'OK');
    expect(outcome.samples.map((s) => s.series)).toEqual(['web01.uptime.seconds', 'web01.uptime.up', 'web01.uptime.duration_seconds']);
  });

  it('gives the state and the errors the doc describes', async () => {
    const { definition } = await loadSlurperFile(exampleFile);
    const fake = join(dir, 'uptime');
    writeFileSync(fake, '120.5 200.1\n');
    expect((await runOnce(definition, { name: 'u', timeoutSeconds: 5, options: { path: fake } })).state).toEqual({ status: 'WARNING', message: 'up 0.00 days, rebooted recently' });
    writeFileSync(fake, 'garbage\n');
    expect((await runOnce(definition, { name: 'u', timeoutSeconds: 5, options: { path: fake } })).error).toBe(`${fake}: expected "<seconds> <idle seconds>", got "garbage\\n"`);
    expect((await runOnce(definition, { name: 'web01.uptime', timeoutSeconds: 5, options: { warnAfterRebootSeconds: '2h' } })).error).toBe(
      'slurpers.web01.uptime.options.warnAfterRebootSeconds: must be a number >= 0, got "2h"',
    );
  });

  it('the doc\'s plain JavaScript version loads and runs too', async () => {
    const js = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(js).toBeDefined();
    const folder = mkdtempSync(join(dir, 'js-'));
    writeFileSync(join(folder, 'uptime.mjs'), js!);
    const [loaded] = await loadSlurperFolder(folder);
    const jsOutcome = await runOnce(loaded.definition, { name: "x", timeoutSeconds: 5 });
    expect(jsOutcome.error).toBeUndefined();
    expect(jsOutcome.samples[0]).toMatchObject({ series: 'x.seconds', value: expect.any(Number) });
  });
});

describe('the state example of docs/writing-a-slurper.md (log-matches)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-log-example-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const matches = (outcome: { samples: readonly { series: string; value: number | null }[] }, instance: string) =>
    outcome.samples.find((s) => s.series === `${instance}.matches`)?.value;

  it('is shown in the doc exactly as the file is', () => {
    expect(doc).toContain('```ts\n' + logExample + '```');
    expect(logExample).toContain("from 'ringmon/slurper';");
  });

  it('counts only the lines added since the run before, from the offset it keeps in ctx.stateDir', async () => {
    const { definition } = await loadSlurperFile(logExampleFile);
    const log = join(dir, 'app.log');
    writeFileSync(log, 'ERROR old\nERROR old\n');
    const instance = { name: 'app.errors', timeoutSeconds: 5, options: { path: log } };
    const deps = { stateRoot: join(dir, 'state') };
    expect(matches(await runOnce(definition, instance, deps), 'app.errors')).toBe(0);
    expect(readFileSync(join(dir, 'state', 'app.errors', 'offset'), 'utf8')).toBe('20');
    appendFileSync(log, 'ERROR one\nINFO fine\nERROR two\nERROR half-writ');
    expect(matches(await runOnce(definition, instance, deps), 'app.errors')).toBe(2);
    appendFileSync(log, 'ten\n');
    expect(matches(await runOnce(definition, instance, deps), 'app.errors')).toBe(1);
    expect(matches(await runOnce(definition, instance, deps), 'app.errors')).toBe(0);
    // Rotated: shorter than the offset, so read from the start.
    writeFileSync(log, 'ERROR after rotation\n');
    expect(matches(await runOnce(definition, instance, deps), 'app.errors')).toBe(1);
    // Another state root is another memory: it starts at the end.
    expect(matches(await runOnce(definition, instance, { stateRoot: join(dir, 'elsewhere') }), 'app.errors')).toBe(0);
  });

  it('a new scheduler on the same state root goes on from where the last one stopped', async () => {
    const { definition } = await loadSlurperFile(logExampleFile);
    const log = join(dir, 'sched.log');
    writeFileSync(log, 'ERROR before any run\n');
    const stateRoot = join(dir, 'sched-state');
    const runScheduler = (slurper: SlurperDefinition) => {
      const seen: number[] = [];
      const scheduler = startScheduler({
        instances: [{ name: 'sched.errors', slurper, schedule: { every: 0.2 }, timeoutSeconds: 0.15, options: { path: log } }],
        maxJitterSeconds: 0.05,
        stateRoot,
        sink: async (samples) => void seen.push(samples.find((s) => s.series === 'sched.errors.matches')?.value ?? Number.NaN),
      });
      return { seen, scheduler };
    };
    const until = async (condition: () => boolean): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

    const first = runScheduler(definition);
    await until(() => first.seen.length >= 1);
    appendFileSync(log, 'ERROR a\nERROR b\nERROR c\n');
    await until(() => sum(first.seen) >= 3);
    await first.scheduler.stop();
    // Written while nothing runs: only the state on disk can tell the next scheduler they are new.
    appendFileSync(log, 'ERROR d\nERROR e\n');
    const second = runScheduler(definition);
    await until(() => second.seen.length >= 3);
    await second.scheduler.stop();
    expect(sum(first.seen)).toBe(3);
    expect(second.seen[0]).toBe(2);
    expect(sum(second.seen)).toBe(2);
  });
});
