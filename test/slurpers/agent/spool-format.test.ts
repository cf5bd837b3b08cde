/**
 * The spool's versions against its specification (spool-format.ts): the
 * fractional counter kinds, offered thresholds (version 2) and messages
 * (version 3) survive a restart, and a version-1 or version-2 spool, built
 * here byte by byte from the specification as an older agent wrote it,
 * still reads, followed by new segments.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, segmentName, type SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';
import { recordingLogger } from '../host/helpers.js';
import { drainSpool, spoolThenRestart } from './spool-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-spool-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => {
  const dir = join(root, `s${++dirs}`);
  mkdirSync(dir);
  return dir;
};

/** A segment header as the specification lays it out (POS 1), of any version. */
function header(version: number, startSeq: number): Buffer {
  const buf = Buffer.alloc(24);
  buf.write('RMSP', 0, 'latin1');
  buf.writeUInt32LE(version, 4);
  buf.writeDoubleLE(startSeq, 8);
  buf.writeUInt32LE(crc32(buf.subarray(0, 20)), 20);
  return buf;
}

/** A record (POS 2) holding `payload` as JSON text. */
function record(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

const T = 1_700_000_000;

describe('spool format version 2', () => {
  it('keeps DCOUNTER, DDERIVE and offered thresholds with their samples across a restart', async () => {
    const dir = freshDir();
    const samples: SpooledSample[] = [
      { series: 'web.cpu_seconds', t: T, v: 12.75, kind: 'DCOUNTER' },
      { series: 'web.energy', t: T, v: -0.25, kind: 'DDERIVE', thresholds: { critical: '~:1000' } },
      { series: 'web.disk.used_percent', t: T, v: 97, thresholds: { warning: '85', critical: '95' } },
      { series: 'web.load', t: T, v: null },
    ];
    expect(await spoolThenRestart(dir, samples)).toEqual(samples);
    const segment = readFileSync(join(dir, segmentName(1)));
    expect(segment.readUInt32LE(4)).toBe(3);
    // A GAUGE with thresholds has null where the kind goes; a sample without either stays three long.
    const payload = JSON.parse(segment.subarray(24 + 8).toString('utf8')) as { samples: unknown[][] };
    expect(payload.samples.map((s) => s.length)).toEqual([4, 5, 5, 3]);
    expect(payload.samples[2][3]).toBeNull();
  });

  it('reads a version-1 spool that an older agent left, and appends to it in version 3', async () => {
    const dir = freshDir();
    const v1 = [
      { seq: 1, samples: [['old.rx', T, 100, 'COUNTER'], ['old.load', T, 0.5]] },
      { seq: 2, samples: [['old.rx', T + 10, 200, 'COUNTER'], ['old.gap', T + 10, null]] },
    ];
    writeFileSync(join(dir, segmentName(1)), Buffer.concat([header(1, 1), ...v1.map(record)]));
    writeFileSync(join(dir, 'ack'), JSON.stringify({ version: 1, acked: 0 }));
    const log = recordingLogger();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(await spool.append([{ series: 'new.cpu', t: T + 20, v: 1.5, kind: 'DCOUNTER' }])).toBe(3);
    const batches = (await drainSpool(spool, 100)).map((b) => b.samples);
    expect(batches).toEqual([
      [{ series: 'old.rx', t: T, v: 100, kind: 'COUNTER' }, { series: 'old.load', t: T, v: 0.5 }],
      [{ series: 'old.rx', t: T + 10, v: 200, kind: 'COUNTER' }, { series: 'old.gap', t: T + 10, v: null }],
      [{ series: 'new.cpu', t: T + 20, v: 1.5, kind: 'DCOUNTER' }],
    ]);
    await spool.close();
    // The new batch went into a segment of its own, of version 3: an older agent refuses it by its header.
    expect(readFileSync(join(dir, segmentName(3))).readUInt32LE(4)).toBe(3);
  });

  it('refuses a segment of a later version by its header, naming the versions it reads', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, segmentName(1)), Buffer.concat([header(4, 1), record({ seq: 1, samples: [] })]));
    const log = recordingLogger();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect(log.lines.map((l) => l.message)).toContainEqual(expect.stringContaining('spool format version 4, this agent reads 1 to 3'));
    expect(await spool.peek(10)).toEqual([]);
    await spool.close();
  });

  it.each([
    ['an unknown kind', ['s', T, 1, 'FLOAT']],
    ['thresholds that are not an object', ['s', T, 1, null, '85']],
    ['a threshold that is not text', ['s', T, 1, null, { warning: 85 }]],
    ['an unknown threshold key', ['s', T, 1, null, { warn: '85' }]],
    ['a kind of GAUGE, which is never written', ['s', T, 1, 'GAUGE']],
    ['a message that is not text', ['s', T, 1, null, { warning: '1' }, 0]],
    ['a message with thresholds that are not an object', ['s', T, 1, null, '85', 'm']],
    ['a message with an unknown kind', ['s', T, 1, 'FLOAT', null, 'm']],
    ['seven elements', ['s', T, 1, null, null, 'm', 0]],
  ])('takes a record with %s for damage', (_what, tuple) => {
    expect(decodeRecord(record({ seq: 1, samples: [tuple] }), 0)).toEqual({ kind: 'bad', problem: 'record payload is not {seq, samples}' });
  });

  it('reads empty thresholds as none, and never writes them', () => {
    const read = decodeRecord(record({ seq: 1, samples: [['s', T, 1, 'COUNTER', {}]] }), 0);
    expect(read).toMatchObject({ kind: 'record', batch: { samples: [{ series: 's', t: T, v: 1, kind: 'COUNTER' }] } });
    const written = encodeRecord({ seq: 1, samples: [{ series: 's', t: T, v: 1, thresholds: {} }] });
    expect(JSON.parse(written.subarray(8).toString('utf8'))).toEqual({ seq: 1, samples: [['s', T, 1]] });
  });
});

describe('spool format version 3: messages', () => {
  const STATE = { warning: '0', critical: '@2:2' };

  it('keeps a message with its sample across a restart, in the 6-element form, and only where there is one', async () => {
    const dir = freshDir();
    const samples: SpooledSample[] = [
      { series: 'box.load.state', t: T, v: 1, thresholds: STATE, message: 'WARNING: load high' },
      { series: 'box.ping.state', t: T, v: 3, message: '' },
      { series: 'box.rx', t: T, v: 5, kind: 'COUNTER', message: 'naïve ✓ "quoted"\nsecond line' },
      { series: 'box.load', t: T, v: 0.5 },
      { series: 'box.disk', t: T, v: 97, thresholds: { critical: '95' } },
    ];
    expect(await spoolThenRestart(dir, samples)).toEqual(samples);
    const segment = readFileSync(join(dir, segmentName(1)));
    expect(segment.readUInt32LE(4)).toBe(3);
    const payload = JSON.parse(segment.subarray(24 + 8).toString('utf8')) as { samples: unknown[][] };
    expect(payload.samples.map((s) => s.length)).toEqual([6, 6, 6, 3, 5]);
    expect(payload.samples[0]).toEqual(['box.load.state', T, 1, null, STATE, 'WARNING: load high']);
    expect(payload.samples[1]).toEqual(['box.ping.state', T, 3, null, null, '']);
  });

  it('writes a batch without messages byte for byte as version 2 did: no sample grows', () => {
    const batch = {
      seq: 7,
      samples: [
        { series: 'a.load', t: T, v: 0.5 },
        { series: 'a.rx', t: T, v: null, kind: 'COUNTER' as const },
        { series: 'a.disk', t: T, v: 97, kind: 'DDERIVE' as const, thresholds: { warning: '85' } },
      ],
    };
    const v2 = record({ seq: 7, samples: [['a.load', T, 0.5], ['a.rx', T, null, 'COUNTER'], ['a.disk', T, 97, 'DDERIVE', { warning: '85' }]] });
    expect(encodeRecord(batch).equals(v2)).toBe(true);
  });

  it('reads a message without thresholds, and empty thresholds beside a message as none', () => {
    const read = decodeRecord(record({ seq: 1, samples: [['s', T, 2, 'DERIVE', {}, 'm'], ['t', T, null, null, null, 'n']] }), 0);
    expect(read).toMatchObject({
      kind: 'record',
      batch: { samples: [{ series: 's', t: T, v: 2, kind: 'DERIVE', message: 'm' }, { series: 't', t: T, v: null, message: 'n' }] },
    });
  });

  it('reads a version-2 spool an older agent left (the fixture), then new segments with messages, in order across a restart', async () => {
    const dir = join(freshDir(), 'spool');
    cpSync(join(import.meta.dirname, 'spool-fixtures', 'spool-v2'), dir, { recursive: true });
    const log = recordingLogger();
    const first = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 300, log });
    const added: SpooledSample[][] = [
      [{ series: 'box.load.state', t: T + 40, v: 2, thresholds: STATE, message: 'CRITICAL: load 31' }, { series: 'box.load.up', t: T + 40, v: 1 }],
      [{ series: 'box.load.state', t: T + 50, v: 0, thresholds: STATE, message: 'OK: load 0.2' }],
    ];
    for (const samples of added) await first.append(samples);
    await first.close();
    // The old segments keep their version; the new one is version 3.
    expect(readdirSync(dir).filter((f) => f.endsWith('.rms')).map((f) => [f, readFileSync(join(dir, f)).readUInt32LE(4)])).toEqual([
      [segmentName(1), 2],
      [segmentName(4), 2],
      [segmentName(5), 3],
    ]);
    const second = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 300, log });
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(await drainSpool(second, 100)).toEqual([
      { seq: 2, samples: [{ series: 'web.rx', t: T + 10, v: 100, kind: 'COUNTER' }, { series: 'web.gap', t: T + 10, v: null }] },
      { seq: 3, samples: [{ series: 'web.cpu', t: T + 20, v: 12.75, kind: 'DCOUNTER', thresholds: { warning: '80', critical: '95' } }] },
      { seq: 4, samples: [{ series: 'web.disk', t: T + 30, v: 97, thresholds: { critical: '~:99' } }] },
      { seq: 5, samples: added[0] },
      { seq: 6, samples: added[1] },
    ]);
    await second.close();
  });
});

describe('spool format version 3: the batch interval', () => {
  it('keeps a run\'s interval across a restart, once per record, and a batch without one byte for byte as before', async () => {
    const dir = freshDir();
    const samples: SpooledSample[] = [
      { series: 'box.load', t: T, v: 0.5, interval: 30 },
      { series: 'box.rx', t: T, v: 5, kind: 'COUNTER', interval: 30 },
    ];
    expect(await spoolThenRestart(dir, samples)).toEqual(samples);
    const payload = JSON.parse(readFileSync(join(dir, segmentName(1))).subarray(24 + 8).toString('utf8')) as object;
    expect(payload).toEqual({ seq: 1, interval: 30, samples: [['box.load', T, 0.5], ['box.rx', T, 5, 'COUNTER']] });
    const plain = { seq: 7, samples: [{ series: 'a.load', t: T, v: 0.5 }] };
    expect(encodeRecord(plain).equals(record({ seq: 7, samples: [['a.load', T, 0.5]] }))).toBe(true);
  });

  it('refuses a record whose interval is not a positive number of seconds', () => {
    for (const interval of [0, -5, 'x', null]) {
      expect(decodeRecord(record({ seq: 1, interval, samples: [['s', T, 1]] }), 0)).toEqual({ kind: 'bad', problem: 'record interval is not a positive number of seconds' });
    }
  });
});
