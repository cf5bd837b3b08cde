/**
 * A spool the agent wrote before the spool ran on lib/segment-log
 * (spool-fixtures/spool-v2, made by the code of commit 5c40cff: four batches
 * in segments of 300 bytes, the first acknowledged, closed) still opens and
 * gives every unsent batch, exactly, then takes appends after them: an
 * upgrade loses nothing.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SpooledBatch } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';
import { recordingLogger } from '../host/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-spool-v2-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T = 1_700_000_000;

describe('a spool written by the previous code', () => {
  it('gives back every unacknowledged batch exactly, without a warning, and numbers new batches after them', async () => {
    const dir = join(root, 'spool');
    cpSync(join(import.meta.dirname, 'spool-fixtures', 'spool-v2'), dir, { recursive: true });
    const log = recordingLogger();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(spool.stats()).toMatchObject({ pendingBatches: 3, pendingSamples: 4, ackedSeq: 1 });
    expect(await spool.append([{ series: 'web.new', t: T + 40, v: 1 }])).toBe(5);
    const batches: SpooledBatch[] = [];
    for (let peeked = await spool.peek(100); peeked.length > 0; peeked = await spool.peek(100)) {
      batches.push(...peeked);
      await spool.ack(peeked.at(-1)!.seq);
    }
    expect(batches).toEqual([
      { seq: 2, samples: [{ series: 'web.rx', t: T + 10, v: 100, kind: 'COUNTER' }, { series: 'web.gap', t: T + 10, v: null }] },
      { seq: 3, samples: [{ series: 'web.cpu', t: T + 20, v: 12.75, kind: 'DCOUNTER', thresholds: { warning: '80', critical: '95' } }] },
      { seq: 4, samples: [{ series: 'web.disk', t: T + 30, v: 97, thresholds: { critical: '~:99' } }] },
      { seq: 5, samples: [{ series: 'web.new', t: T + 40, v: 1 }] },
    ]);
    await spool.close();
  });
});
