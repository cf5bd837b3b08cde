/**
 * Labels in the agent's spool (fields of a series' node, carried to the
 * server's node metadata): a batch-level `labels` object by series, added
 * within spool version 3 as `interval` was. The samples' tuples are those
 * of a batch without labels, so the previous reader (which takes seq,
 * samples and interval, and no other key) reads the record and only leaves
 * the labels out; this reader gives each sample its series' labels. Labels
 * the server would refuse are dropped by the agent before they are spooled,
 * the sample kept.
 */
import { describe, expect, it } from 'vitest';
import { decodePayload, decodeRecord, encodeRecord, SPOOL_VERSION, type SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { spooledSample } from '../../../slurpers/agent/spooled-sample.js';

const T = 1_700_000_000;
const LABELS = { name: 'Broker one', max_hours: 36, sites: ['ward-3', 4] };

const payloadOf = (record: Buffer): Record<string, unknown> => JSON.parse(record.subarray(8).toString('utf8')) as Record<string, unknown>;

describe('labels in the spool', () => {
  it('round-trips the labels of each series, the samples written as without labels (version 3)', () => {
    const samples: SpooledSample[] = [
      { series: 'b01.hours', t: T, v: 3, labels: LABELS, interval: 60 },
      { series: 'b01.up', t: T, v: 1, interval: 60 },
      { series: 'b02.hours', t: T, v: null, kind: 'COUNTER', labels: { name: 'Broker two' }, interval: 60 },
    ];
    const record = encodeRecord({ seq: 7, samples });
    const read = decodeRecord(record, 0);
    expect(read).toMatchObject({ kind: 'record', batch: { seq: 7, samples } });

    // What the previous reader reads: the same record without the key it does not know.
    const payload = payloadOf(record);
    expect(payload.labels).toEqual({ 'b01.hours': LABELS, 'b02.hours': { name: 'Broker two' } });
    const plain = payloadOf(encodeRecord({ seq: 7, samples: samples.map(({ labels: _, ...s }) => s) }));
    const { labels: _, ...rest } = payload;
    expect(rest).toEqual(plain);
    expect(SPOOL_VERSION).toBe(3);
  });

  it('refuses a record whose labels are not labels (damage), and reads one without', () => {
    const bad = Buffer.from(JSON.stringify({ seq: 1, labels: { 'a.b': { f: { nested: 1 } } }, samples: [['a.b', T, 1]] }));
    expect(decodePayload(bad)).toBe('record labels are not {series: {field: value}}');
    expect(decodePayload(Buffer.from(JSON.stringify({ seq: 1, samples: [['a.b', T, 1]] })))).toEqual({ seq: 1, samples: [{ series: 'a.b', t: T, v: 1 }] });
  });

  it("drops labels the server's rules refuse, keeping the sample, and tells why", () => {
    const refused: string[] = [];
    const refuse = (series: string, why: string): void => void refused.push(`${series}: ${why}`);
    expect(spooledSample({ series: 'b01.hours', value: 3, time: T, labels: LABELS }, refuse)).toEqual({ series: 'b01.hours', t: T, v: 3, labels: LABELS });
    expect(spooledSample({ series: 'b02.hours', value: 3, time: T, labels: { name: 'B', contacts: ['Mallory <m@x.example>'] } }, refuse)).toEqual({ series: 'b02.hours', t: T, v: 3 });
    // Even a valid address: contacts choose where mail goes, which an agent may not.
    expect(spooledSample({ series: 'b03.hours', value: 3, time: T, labels: { name: 'C', contacts: ['b03@wards.example'] } }, refuse)).toEqual({ series: 'b03.hours', t: T, v: 3 });
    expect(refused).toEqual([
      "b02.hours: labels not sent: label 'contacts': may come only from the metadata file or a slurper the server runs: a token or an agent does not choose where alarm mail goes",
      "b03.hours: labels not sent: label 'contacts': may come only from the metadata file or a slurper the server runs: a token or an agent does not choose where alarm mail goes",
    ]);
  });
});
