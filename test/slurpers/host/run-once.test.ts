import { describe, expect, it } from 'vitest';
import { defineSlurper, Type } from '../../../slurpers/contract.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { constant, garbage, hanging, throwing } from './helpers.js';

const NOW = 1_700_000_000;
const instance = { name: 'web01.check', timeoutSeconds: 0.5 };
const deps = { now: () => NOW };

describe('runOnce', () => {
  it('prefixes the samples and adds up = 1 and the duration', async () => {
    const outcome = await runOnce(constant(42), instance, deps);
    expect(outcome.ok).toBe(true);
    expect(outcome.samples[0]).toEqual({ series: 'web01.check.value', value: 42, time: NOW });
    expect(outcome.samples.slice(1)).toEqual([
      { series: 'web01.check.up', value: 1, time: NOW },
      { series: 'web01.check.duration_seconds', value: outcome.durationSeconds, time: NOW, unit: 's' },
    ]);
    expect(outcome.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(outcome.durationSeconds).toBeLessThan(0.5);
    expect(outcome.state).toBeUndefined();
  });

  it('passes the slurper state on, and the options with their defaults', async () => {
    const echo = defineSlurper({
      name: 'echo',
      description: 'Says what it was told.',
      options: Type.Object({ word: Type.String({ default: 'fine' }) }),
      collect: async (ctx, options) => ({ samples: [], state: { status: 'WARNING', message: `${ctx.instance}: ${options.word}` } }),
    });
    expect(await runOnce(echo, { ...instance, options: {} }, deps)).toMatchObject({ ok: true, state: { status: 'WARNING', message: 'web01.check: fine' } });
  });

  it.each([
    ['throws', throwing, 'target unreachable: connection refused'],
    ['hangs past its timeout, ignoring its signal', hanging, 'timed out after 0.5 s'],
    ['returns garbage', garbage, 'returned garbage: samples[0].series: must be dotted segments of A-Z a-z 0-9 _ -, got "bad name!"'],
  ])('a slurper that %s: up = 0, no other samples, state UNKNOWN with the error', async (_, slurper, error) => {
    const outcome = await runOnce(slurper, instance, deps);
    expect(outcome).toMatchObject({ ok: false, error, state: { status: 'UNKNOWN', message: error } });
    expect(outcome.samples.map((s) => [s.series, s.value])).toEqual([
      ['web01.check.up', 0],
      ['web01.check.duration_seconds', outcome.durationSeconds],
    ]);
  });

  it('a hanging run ends near its deadline, not later', async () => {
    const outcome = await runOnce(hanging, { name: 'h', timeoutSeconds: 0.3 });
    expect(outcome.durationSeconds).toBeGreaterThanOrEqual(0.29);
    expect(outcome.durationSeconds).toBeLessThan(3);
  });

  it('a slurper that throws before its first await is isolated too', async () => {
    const eager = defineSlurper({
      name: 'eager',
      description: 'Throws synchronously.',
      options: Type.Object({}),
      collect: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    expect(await runOnce(eager, instance, deps)).toMatchObject({ ok: false, error: 'cannot read properties of undefined' });
  });

  it('options that do not fit fail the run with the key named', async () => {
    const strict = defineSlurper({ name: 's', description: 'd', options: Type.Object({ port: Type.Integer() }), collect: async () => [] });
    expect(await runOnce(strict, { ...instance, options: { port: 'http' } }, deps)).toMatchObject({
      ok: false,
      error: 'slurpers.web01.check.options.port: must be an integer, got "http"',
    });
  });

  it('a shutdown aborts the run', async () => {
    const shutdown = new AbortController();
    setTimeout(() => shutdown.abort(new Error('the scheduler is stopping')), 100);
    const outcome = await runOnce(hanging, { name: 'h', timeoutSeconds: 30 }, { signal: shutdown.signal });
    expect(outcome).toMatchObject({ ok: false, error: 'the scheduler is stopping' });
  });
});
