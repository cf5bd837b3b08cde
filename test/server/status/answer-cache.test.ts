/**
 * The status board's cache (server/status/answer-cache.ts) with an injected
 * clock: callers within the time share one build, a build in progress too;
 * a failure is kept as long as a value (a failing source is not asked once
 * per request); a clock gone back builds again.
 */
import { describe, expect, it } from 'vitest';
import { answerCache } from '../../../server/status/answer-cache.js';

describe('answerCache', () => {
  it('builds at most once per ttl, sharing a build in progress', async () => {
    let clock = 1000;
    let n = 0;
    let release: () => void = () => undefined;
    const cache = answerCache(
      2000,
      () =>
        new Promise<number>((resolve) => {
          n += 1;
          release = () => resolve(n);
        }),
      () => clock,
    );
    const waiting = [cache.get(), cache.get(), cache.get()];
    release();
    expect(await Promise.all(waiting)).toEqual([1, 1, 1]);
    clock += 1999;
    expect(await cache.get()).toBe(1);
    clock += 1;
    const next = cache.get();
    release();
    expect(await next).toBe(2);
    clock -= 10_000;
    const back = cache.get();
    release();
    expect(await back).toBe(3);
    expect(cache.builds).toBe(3);
  });

  it('keeps a failure for the ttl', async () => {
    let clock = 0;
    let calls = 0;
    const cache = answerCache(1000, async () => {
      calls += 1;
      throw new Error('database closed');
    }, () => clock);
    await expect(cache.get()).rejects.toThrow('database closed');
    await expect(cache.get()).rejects.toThrow('database closed');
    expect(calls).toBe(1);
    clock = 1000;
    await expect(cache.get()).rejects.toThrow('database closed');
    expect(calls).toBe(2);
  });
});
