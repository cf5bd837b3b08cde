/**
 * The json slurper's derived values, run by the host's runOnce against a
 * real node API on loopback: hours since a last-contact timestamp (ISO 8601
 * and Unix milliseconds, with an injected clock and with the real one),
 * errors / imports as a rate (a zero denominator is unknown), and a state
 * from a set of good values that keeps the raw value as its own series.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import json from '../../../slurpers/builtin/json.js';
import type { SlurperLogger } from '../../../slurpers/contract.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0) / 1000;
const NODES = {
  nodes: [
    { id: 'b1', site: 'a', lastContact: '2026-12-07T09:30:00Z', errors: 3, imports: 120, state: 5 },
    { id: 'b2', site: 'b', lastContact: '2026-12-06T13:00:00+01:00', errors: 0, imports: 0, state: 6 },
    { id: 'b3', site: 'b', lastContact: (NOW - 90) * 1000, errors: 7, state: 3 },
    { id: 'b4', site: 'c', lastContact: 'last tuesday', errors: 1, imports: 'many', state: 'running' },
  ],
};

let api: Server;
let url: string;
beforeAll(async () => {
  api = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(NODES));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(api.address() as { port: number }).port}/api/nodes`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

/** One run at NOW, or on the real clock when `clock` is 'real'. */
const run = (options: object, clock: 'injected' | 'real' = 'injected', log?: SlurperLogger) =>
  runOnce(json, { name: 'br', timeoutSeconds: 10, options: { url, ...options } }, clock === 'real' ? { log } : { now: () => NOW, log });

function recordingLogger(): SlurperLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (a: object | string): void => void lines.push(typeof a === 'string' ? a : JSON.stringify(a));
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}
const values = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

describe('json: derived values', () => {
  it('hours since a last-contact timestamp, ISO 8601 in UTC or with an offset', async () => {
    const outcome = await run({ series: [
      { path: 'nodes[*].lastContact', name: 'node.{id}.hours_since_contact', since: 'hours' },
    ] });
    expect(outcome).toMatchObject({ ok: true });
    const v = values(outcome.samples);
    expect(v['br.node.b1.hours_since_contact']).toBeCloseTo(2.5, 9);
    expect(v['br.node.b2.hours_since_contact']).toBeCloseTo(24, 9);
    // A number is seconds unless the mapping says milliseconds: read as seconds it is 56,000 years in the future.
    expect(v['br.node.b3.hours_since_contact']).toBeLessThan(-1e8);
    expect(outcome.samples.find((s) => s.series === 'br.node.b1.hours_since_contact')?.kind).toBeUndefined();
  });

  it('Unix milliseconds, against the real clock, within a tolerance', async () => {
    const outcome = await run({ series: [{ path: 'nodes[2].lastContact', name: 'b3.seconds_since', since: 'seconds', epoch: 'milliseconds' }] }, 'real');
    const age = values(outcome.samples)['br.b3.seconds_since']!;
    // The document was made with NOW, the clock here is the real one: the age is 90 s plus the time since NOW.
    expect(Math.abs(age - (Date.now() / 1000 - NOW + 90))).toBeLessThan(5);
  });

  it('errors / imports is a rate; a zero or missing denominator is unknown', async () => {
    const outcome = await run({ series: [{ path: 'nodes[*].errors', divideBy: 'imports', name: 'node.{id}.error_rate' }] });
    expect(values(outcome.samples)).toEqual(expect.objectContaining({
      'br.node.b1.error_rate': 3 / 120, 'br.node.b2.error_rate': null, 'br.node.b3.error_rate': null,
    }));
  });

  it('a state from an ok set keeps the raw value as its own series', async () => {
    const states = { path: 'nodes[*].state', series: 'node.{id}.state', raw: 'node.{id}.code', ok: [6] };
    const strict = values((await run({ states: [states] })).samples);
    expect(strict).toMatchObject({ 'br.node.b1.code': 5, 'br.node.b1.state': 2, 'br.node.b2.code': 6, 'br.node.b2.state': 0, 'br.node.b3.code': 3 });
    const lenient = values((await run({ states: [{ ...states, ok: [5, 6] }] })).samples);
    expect(lenient).toMatchObject({ 'br.node.b1.code': 5, 'br.node.b1.state': 0 });
  });

  it('what cannot be derived is a gap, logged by series; a text state has a state but no raw number', async () => {
    const log = recordingLogger();
    const outcome = await run({
      series: [
        { path: 'nodes[3].lastContact', name: 'b4.age', since: 'hours' },
        { path: 'nodes[*].errors', divideBy: 'imports', name: '{id}.rate' },
      ],
      states: [{ path: 'nodes[3].state', series: 'b4.state', raw: 'b4.code', ok: ['running'] }],
    }, 'injected', log);
    expect(values(outcome.samples)).toMatchObject({ 'br.b4.age': null, 'br.b4.rate': null, 'br.b4.state': 0, 'br.b4.code': null });
    expect(log.lines).toEqual([
      expect.stringContaining('series b4.age: "last tuesday" is not an ISO 8601 timestamp or a number of seconds'),
      expect.stringContaining('series b4.rate: divideBy imports: "many" is not a number'),
    ]);
    const badPath = await run({ series: [{ path: 'nodes[*].errors', divideBy: 'counts[x]', name: 'r.{id}' }] });
    expect(badPath.error).toBe('path "counts[x]": expected .name, [*], [index] or ["key"] at "[x]"');
  });

  it('options are checked at the door, naming the key', async () => {
    const both = await run({ series: [{ path: 'nodes[*].errors', name: 'x.{id}', since: 'hours', divideBy: 'imports' }] });
    expect(both.error).toContain('slurpers.br.options.series[0]: must be a mapping with since or divideBy, not both (and epoch only with since), got a mapping');
    const epoch = await run({ series: [{ path: 'nodes[*].lastContact', name: 'x.{id}', epoch: 'milliseconds' }] });
    expect(epoch.error).toContain('slurpers.br.options.series[0]: must be a mapping with since or divideBy, not both (and epoch only with since)');
    const unit = await run({ series: [{ path: 'nodes[*].lastContact', name: 'x.{id}', since: 'weeks' }] });
    expect(unit.error).toContain('slurpers.br.options.series[0].since');
    const raw = await run({ states: [{ path: 'nodes[*].state', series: 's.{id}', raw: '', ok: [6] }] });
    expect(raw.error).toContain('slurpers.br.options.states[0].raw');
  });
});
