/**
 * The quarantine read newest first from real files: lines across the
 * reader's 64 KiB pieces come back whole and in order, the previous file
 * follows the current one, and what no writer makes (a line cut short by a
 * crash, 100 KiB of garbage without a newline, text that is not JSON) is
 * skipped without stopping the listing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quarantineFile } from '../../../server/store/index.js';
import { listQuarantine } from '../../../server/store/quarantine-reader.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ringmon-qreader-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const line = (series: string, t: number): string => `${JSON.stringify({ at: 1_800_000_000, series, t, v: t % 7, reason: `reason ${'x'.repeat(t % 300)}` })}\n`;

describe('listQuarantine', () => {
  it('reads the current file from its end, then the previous one, skipping what is not a whole line', async () => {
    const file = quarantineFile(dataDir);
    mkdirSync(dirname(file), { recursive: true });
    // The previous file: 1..1000 (about 200 kB, several pieces), then garbage with no newline in the middle.
    const previous = Array.from({ length: 1000 }, (_, i) => line(i % 2 === 0 ? 'q.even' : 'q.odd', i + 1));
    writeFileSync(`${file}.1`, previous.slice(0, 500).join('') + 'g'.repeat(100 * 1024) + previous.slice(500).join(''));
    // The current file: 1001..1500, a line that is not JSON, and a last line cut short by a crash.
    const current = Array.from({ length: 500 }, (_, i) => line(i % 2 === 0 ? 'q.even' : 'q.odd', 1001 + i));
    writeFileSync(file, current.slice(0, 250).join('') + 'not json\nnull\n[1]\n{"t":5}\n' + current.slice(250).join('') + line('q.even', 9999).slice(0, 40));

    const all = await listQuarantine(dataDir, { limit: 2000 });
    // The garbage ran into line 501, which is lost with it; every other line comes back, newest first.
    const expected = Array.from({ length: 1500 }, (_, i) => 1500 - i).filter((t) => t !== 501);
    expect(all.samples.map((s) => s.t)).toEqual(expected);
    expect(all.more).toBe(false);

    const odd = await listQuarantine(dataDir, { limit: 3, matches: (series) => series === 'q.odd' });
    expect(odd.samples.map((s) => s.t)).toEqual([1500, 1498, 1496]);
    expect(odd.more).toBe(true);
  });

  it('lists nothing when there is no quarantine', async () => {
    expect(await listQuarantine(join(dataDir, 'none'), { limit: 10 })).toEqual({ samples: [], more: false, bytes: 0 });
  });
});
