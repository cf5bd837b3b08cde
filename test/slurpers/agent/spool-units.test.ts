/**
 * Units in the agent's spool: a batch-level `units` map by series, added
 * within version 3 as `labels` was (an older agent reads the record and
 * leaves the units out); a record whose units are not units is damage.
 */
import { describe, expect, it } from 'vitest';
import { decodePayload, decodeRecord, encodeRecord, type SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { spooledSample } from '../../../slurpers/agent/spooled-sample.js';

const T = 1_700_000_000;
const payloadOf = (record: Buffer): Record<string, unknown> => JSON.parse(record.subarray(8).toString('utf8')) as Record<string, unknown>;

describe('units in the spool', () => {
  it('round-trips the unit of each series, the samples written as without units', () => {
    const samples: SpooledSample[] = [
      { series: 'h.net.eth0.rx_bytes', t: T, v: 81_400_000_000, kind: 'COUNTER', unit: 'B', interval: 10 },
      { series: 'h.up', t: T, v: 1, interval: 10 },
      { series: 'h.temp', t: T, v: 21.5, unit: '°C', interval: 10 },
    ];
    const record = encodeRecord({ seq: 3, samples });
    expect(decodeRecord(record, 0)).toMatchObject({ kind: 'record', batch: { seq: 3, samples } });
    const payload = payloadOf(record);
    expect(payload.units).toEqual({ 'h.net.eth0.rx_bytes': 'B', 'h.temp': '°C' });
    const { units: _, ...rest } = payload;
    expect(rest).toEqual(payloadOf(encodeRecord({ seq: 3, samples: samples.map(({ unit: _u, ...s }) => s) })));
  });

  it('refuses a record whose units are not units (damage)', () => {
    for (const units of [{ 'a.b': 7 }, { 'a.b': 'x'.repeat(33) }, { 'a.b': 'B\nB' }, ['B']]) {
      expect(decodePayload(Buffer.from(JSON.stringify({ seq: 1, units, samples: [['a.b', T, 1]] })))).toBe('record units are not {series: unit}');
    }
  });

  it('spools the unit a slurper declared', () => {
    expect(spooledSample({ series: 'h.load', value: 0.5, time: T, unit: 'load' }, () => undefined)).toEqual({ series: 'h.load', t: T, v: 0.5, unit: 'load' });
  });
});
