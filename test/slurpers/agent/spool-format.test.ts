/**
 * The spool's version 2 against its specification (spool-format.ts): the
 * fractional counter kinds and offered thresholds survive a restart, and a
 * version-1 spool, built here byte by byte from the specification as an
 * older agent wrote it, still reads.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, segmentName, type SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';
import { recordingLogger } from '../host/helpers.js';

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
    const first = await Spool.open({ dir, maxBytes: 1 << 20 });
    await first.append(samples);
    await first.close();
    const second = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect((await second.peek(10))[0].samples).toEqual(samples);
    await second.close();
    const segment = readFileSync(join(dir, segmentName(1)));
    expect(segment.readUInt32LE(4)).toBe(2);
    // A GAUGE with thresholds has null where the kind goes; a sample without either stays three long.
    const payload = JSON.parse(segment.subarray(24 + 8).toString('utf8')) as { samples: unknown[][] };
    expect(payload.samples.map((s) => s.length)).toEqual([4, 5, 5, 3]);
    expect(payload.samples[2][3]).toBeNull();
  });

  it('reads a version-1 spool that an older agent left, and appends to it in version 2', async () => {
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
    const batches: SpooledSample[][] = [];
    for (let peeked = await spool.peek(100); peeked.length > 0; peeked = await spool.peek(100)) {
      batches.push(...peeked.map((b) => [...b.samples]));
      await spool.ack(peeked.at(-1)!.seq);
    }
    expect(batches).toEqual([
      [{ series: 'old.rx', t: T, v: 100, kind: 'COUNTER' }, { series: 'old.load', t: T, v: 0.5 }],
      [{ series: 'old.rx', t: T + 10, v: 200, kind: 'COUNTER' }, { series: 'old.gap', t: T + 10, v: null }],
      [{ series: 'new.cpu', t: T + 20, v: 1.5, kind: 'DCOUNTER' }],
    ]);
    await spool.close();
    // The new batch went into a segment of its own, of version 2: an older agent refuses it by its header.
    expect(readFileSync(join(dir, segmentName(3))).readUInt32LE(4)).toBe(2);
  });

  it('refuses a segment of a later version by its header, naming the versions it reads', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, segmentName(1)), Buffer.concat([header(3, 1), record({ seq: 1, samples: [] })]));
    const log = recordingLogger();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect(log.lines.map((l) => l.message)).toContainEqual(expect.stringContaining('spool format version 3, this agent reads 1 to 2'));
    expect(await spool.peek(10)).toEqual([]);
    await spool.close();
  });

  it.each([
    ['an unknown kind', ['s', T, 1, 'FLOAT']],
    ['thresholds that are not an object', ['s', T, 1, null, '85']],
    ['a threshold that is not text', ['s', T, 1, null, { warning: 85 }]],
    ['an unknown threshold key', ['s', T, 1, null, { warn: '85' }]],
    ['a kind of GAUGE, which is never written', ['s', T, 1, 'GAUGE']],
    ['six elements', ['s', T, 1, null, { warning: '1' }, 0]],
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
