/**
 * A journal directory the journal wrote before it ran on lib/segment-log
 * (fixtures/journal-v1, made by the code of commit 5c40cff: six batches in
 * segments of 200 bytes, checkpoint 2, closed) still opens and replays every
 * unapplied batch, byte for byte, and takes appends after them: an upgrade
 * loses nothing.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleJournal, type JournaledSample } from '../../../server/journal/index.js';
import { replayAll } from './journal-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-journal-v1-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let copies = 0;
function copyOfFixture(): string {
  const dir = join(root, `j${copies++}`);
  cpSync(join(import.meta.dirname, 'fixtures', 'journal-v1'), dir, { recursive: true });
  return dir;
}

/** Batch k as the fixture's writer appended it. */
const batch = (k: number): JournaledSample[] => [
  { series: `host-${k}.example.net/load`, time: 1_700_000_000 + k * 10 + 0.125, value: k * 1.5 },
  { series: `hôte-${k}/température ✓`, time: 1_700_000_000 + k * 10, value: null },
];

describe('a journal written by the previous code', () => {
  it('replays the batches above its checkpoint exactly, and goes on numbering after them', async () => {
    const dir = copyOfFixture();
    const journal = await SampleJournal.open(dir, { segmentBytes: 200 });
    expect([journal.checkpointSeq, journal.lastSeq, journal.truncatedBytesAtOpen]).toEqual([2, 6, 0]);
    expect(await replayAll(journal)).toEqual([3, 4, 5, 6].map((k) => [k, batch(k)]));
    expect(await journal.append(batch(7))).toBe(7);
    // Format 2 is never written into a format-1 segment: older code refuses the new segment by its header instead of misreading it.
    const segments = readdirSync(dir).filter((f) => f.endsWith('.rmj')).sort();
    expect(segments.at(-1)).toBe('segment-0000000000000007.rmj');
    expect(readFileSync(join(dir, segments.at(-1)!)).readUInt32LE(4)).toBe(2);
    expect(readFileSync(join(dir, segments.at(-2)!)).readUInt32LE(4)).toBe(1);
    await journal.close();
    const reopened = await SampleJournal.open(dir, { segmentBytes: 200 });
    expect(await replayAll(reopened)).toEqual([3, 4, 5, 6, 7].map((k) => [k, batch(k)]));
    await reopened.close();
  });

  it('cuts a torn tail that a crash of the previous code left, keeping every whole batch', async () => {
    const dir = copyOfFixture();
    const last = readdirSync(dir).filter((f) => f.endsWith('.rmj')).sort().at(-1)!;
    appendFileSync(join(dir, last), Buffer.from([40, 0, 0, 0, 1, 0, 0]));
    const journal = await SampleJournal.open(dir);
    expect(journal.truncatedBytesAtOpen).toBe(7);
    expect(await replayAll(journal)).toEqual([3, 4, 5, 6].map((k) => [k, batch(k)]));
    await journal.close();
  });
});
