/**
 * The store writes archives without fsync and syncs the file system once per
 * flush before the journal lets samples go. When that sync fails (a disk
 * error, or here a `sync` that refuses), the journal must keep the samples:
 * the checkpoint stays where it was, and a restart replays them as already
 * applied. The failing `sync` is a real program first on PATH.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshStoreRoot, openStore, readBack, recordingLogger, STEP, T0, testConfig } from './store-helpers.js';

freshStoreRoot();

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

function failingSyncOnPath(): string {
  const bin = mkdtempSync(join(tmpdir(), 'ringmon-failing-sync-'));
  writeFileSync(join(bin, 'sync'), '#!/bin/sh\necho "sync: error syncing: Input/output error" >&2\nexit 1\n');
  chmodSync(join(bin, 'sync'), 0o755);
  process.env.PATH = `${bin}:${originalPath}`;
  return bin;
}

describe('SeriesStore: the file system is synced before the journal checkpoint', () => {
  it('keeps the journal when the sync fails, and checkpoints once it succeeds', async () => {
    const config = testConfig();
    const { log, lines } = recordingLogger();
    const { store, journal } = await openStore(config, { log });
    await store.ingest([1, 2, 3].map((k) => ({ series: 'db.disk.io', time: T0 + k * STEP, value: k })));

    const bin = failingSyncOnPath();
    await store.flush();
    expect(journal.checkpointSeq).toBe(0);
    expect(lines.some((l) => l.level === 'warn' && /cannot checkpoint/.test(l.msg) && /Input\/output error/.test(String((l.obj as { err?: Error }).err?.message)))).toBe(true);
    // The archive has the samples all the same; only the journal's release waits.
    expect(await readBack(store, 'db.disk.io', T0 + 2 * STEP, T0 + 3 * STEP)).toEqual([[T0 + 2 * STEP, 2], [T0 + 3 * STEP, 3]]);
    rmSync(bin, { recursive: true });

    process.env.PATH = originalPath;
    await store.ingest([{ series: 'db.disk.io', time: T0 + 4 * STEP, value: 4 }]);
    await store.flush();
    expect(journal.checkpointSeq).toBe(2);
    await store.close();
    await journal.close();
  });

  it('a restart after a failed sync replays the kept samples as already applied, doubling nothing', async () => {
    const config = testConfig();
    const first = await openStore(config);
    await first.store.ingest([1, 2].map((k) => ({ series: 'db.disk.io', time: T0 + k * STEP, value: k * 10 })));
    const bin = failingSyncOnPath();
    await first.store.close();
    await first.journal.close();
    expect(first.journal.checkpointSeq).toBe(0);
    rmSync(bin, { recursive: true });
    process.env.PATH = originalPath;

    const second = await openStore(config);
    expect(second.store.stats().pending).toBe(2);
    await second.store.flush();
    expect(second.store.stats()).toMatchObject({ samplesSkipped: 2, samplesFlushed: 0 });
    expect(second.journal.checkpointSeq).toBe(1);
    expect(await readBack(second.store, 'db.disk.io', T0 + 2 * STEP, T0 + 2 * STEP)).toEqual([[T0 + 2 * STEP, 20]]);
    await second.store.close();
    await second.journal.close();
  });
});
