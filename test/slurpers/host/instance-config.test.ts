import { describe, expect, it } from 'vitest';
import { Type } from '../../../slurpers/contract.js';
import { parseDuration } from '../../../lib/duration.js';
import { readInstanceConfig, timeoutOf } from '../../../slurpers/host/instance-config.js';
import { SchemaError } from '../../../slurpers/host/options.js';
import { prepareInstances } from '../../../slurpers/host/prepare-instances.js';
import { constant } from './helpers.js';

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof SchemaError) return error.problems;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

describe('parseDuration', () => {
  it.each([
    ['30s', 30], ['5m', 300], ['2h', 7200], ['1d', 86400], ['1w', 604800], ['250ms', 0.25], ['1.5s', 1.5], ['90', 90], [12, 12],
    // Issue 12: one grammar everywhere, so months and years read here as in the server config.
    ['5M', 5 * 31 * 86400], ['1y', 366 * 86400],
  ])('%s → %s seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));
  it.each(['', 's', '5 minutes', '-5s', 'NaN'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('readInstanceConfig', () => {
  it('reads durations and fills in the options', () => {
    const config = readInstanceConfig({ slurper: 'http', name: 'web01.http', every: '30s', timeout: '5s' }, 'slurpers[0]');
    expect(config).toEqual({ slurper: 'http', name: 'web01.http', every: 30, timeout: 5, options: {} });
    expect(timeoutOf(config)).toBe(5);
  });

  it('defaults the timeout to 10 s, or to the interval when shorter', () => {
    expect(timeoutOf(readInstanceConfig({ slurper: 'a', name: 'a', every: '1m' }, 'x'))).toBe(10);
    expect(timeoutOf(readInstanceConfig({ slurper: 'a', name: 'a', every: '2s' }, 'x'))).toBe(2);
    expect(timeoutOf(readInstanceConfig({ slurper: 'a', name: 'a', cron: '30 0 * * *' }, 'x'))).toBe(10);
  });

  it('names every problem with its key', () => {
    expect(problems(() => readInstanceConfig({ slurper: 'HTTP', name: 'web 01', every: 'soon', options: [], extra: 1 }, 'slurpers[3]'))).toEqual([
      'slurpers[3].extra: unknown key (allowed: slurper, name, every, cron, timeout, options)',
      'slurpers[3].slurper: must be a slurper name ([a-z][a-z0-9_-]*, e.g. http), got "HTTP"',
      'slurpers[3].name: must be an instance name: segments of A-Z a-z 0-9 _ - separated by dots (e.g. web01.http), got "web 01"',
      'slurpers[3].every: must be a duration between 100ms and 1w (seconds, or a number with a unit ms s m h d w M y: 30s, 5m, 1h30m), got "soon"',
      'slurpers[3].options: must be a mapping of keys to values, got a list',
    ]);
  });

  it('wants exactly one of every and cron, a valid cron, and a timeout within the interval', () => {
    expect(problems(() => readInstanceConfig({ slurper: 'a', name: 'a' }, 's'))).toEqual(['s.every: give exactly one of every (30s) or cron ("30 0 * * *")']);
    expect(problems(() => readInstanceConfig({ slurper: 'a', name: 'a', every: 5, cron: '* * * * *' }, 's'))).toEqual([
      's.cron: give exactly one of every (30s) or cron ("30 0 * * *")',
    ]);
    expect(problems(() => readInstanceConfig({ slurper: 'a', name: 'a', cron: '61 * * * *' }, 's'))[0]).toMatch(/^s\.cron: must be a cron expression/);
    expect(problems(() => readInstanceConfig({ slurper: 'a', name: 'a', every: '10s', timeout: '1m' }, 's'))).toEqual([
      's.timeout: must not be longer than every (10s), got 1m',
    ]);
  });
});

describe('prepareInstances', () => {
  const registry = new Map([['constant', constant(1)]]);
  const config = (name: string, extra: object = {}) => readInstanceConfig({ slurper: 'constant', name, every: '1m', ...extra }, 'x');

  it('resolves slurper, schedule and timeout', () => {
    const [instance] = prepareInstances([config('a')], registry);
    expect(instance).toMatchObject({ name: 'a', schedule: { every: 60 }, timeoutSeconds: 10, options: {} });
    expect(instance.slurper.name).toBe('constant');
  });

  it('reports unknown slurpers, duplicate names and bad options together', () => {
    const strictRegistry = new Map([...registry, ['typed', { ...constant(1), name: 'typed', options: Type.Object({ n: Type.Integer() }) }]]);
    expect(
      problems(() =>
        prepareInstances([config('a'), config('a'), { ...config('b'), slurper: 'nope' }, { ...config('c'), slurper: 'typed', options: { n: 1.5 } }], strictRegistry),
      ),
    ).toEqual([
      "slurpers.a.name: 'a' is used by another instance; instance names must be unique",
      "slurpers.b.slurper: no slurper named 'nope' (known: constant, typed)",
      'slurpers.c.options.n: must be an integer, got 1.5',
    ]);
  });
});
