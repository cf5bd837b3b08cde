/**
 * What the server says at start about disk room: the size it gives for a new
 * series is the size of the archive the store really creates, and the room
 * follows the file system's free space.
 */
import { statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config/index.js';
import { describe, expect, it } from 'vitest';
import { archivePath, archiveRoom, describeArchiveRoom } from '../../../server/store/index.js';
import { freshStoreRoot, openStore, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

describe('archiveRoom', () => {
  it('gives the size of the archive a new series gets, and how many more fit', async () => {
    const config = testConfig();
    const { store, journal } = await openStore(config);
    await store.ingest([{ series: 'room.probe', time: T0 + STEP, value: 1 }]);
    await store.flush();
    const room = archiveRoom(config);
    expect(room.bytesPerSeries).toBe(statSync(archivePath(join(config.dataDir, 'archives'), 'room.probe')).size);
    // The suite's other files write and delete while this runs, so the free
    // space read here is not the one archiveRoom read: allow 64 MiB of drift.
    const fs = statfsSync(config.dataDir);
    const fitNow = Math.floor((fs.bavail * fs.bsize) / room.bytesPerSeries);
    const drift = Math.ceil((64 * 1024 * 1024) / room.bytesPerSeries);
    expect(Math.abs(room.seriesThatFit - fitNow)).toBeLessThanOrEqual(drift);
    expect(room.seriesThatFit).toBeGreaterThan(0);
    expect(describeArchiveRoom(room)).toMatch(/^a new series under archives\.default takes 0\.00 MB on disk at once; the data directory has room for about [\d,]+ more$/);
    await store.close();
    await journal.close();
  });

  // Issue 13: was the fixed default's 1.75 MB.
  it('counts the built-in template at its largest, the finest steps: under 256 KiB', () => {
    const config = { dataDir: tmpdir(), archives: loadConfig(undefined, { env: {} }).archives };
    const room = archiveRoom(config);
    expect(room.bytesPerSeries).toBe(228_776);
    expect(room.bytesPerSeries).toBeLessThanOrEqual(256 * 1024);
    expect(describeArchiveRoom(room)).toMatch(/^a new series takes at most 0\.23 MB \(the built-in archive at its step\) on disk at once; the data directory has room for about [\d,]+ more$/);
  });
});
