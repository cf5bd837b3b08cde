/**
 * What an archive is on disk besides its bytes: owner-only (0600 whatever
 * the umask, also over an old 0644 file, also its sidecar), no temporary
 * file left by a refused create, and a create that is exclusive, synced,
 * linked into place and followed by a sync of its folder (seen with strace).
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createArchive, openArchive, sidecarPath, updateArchiveFile, type ArchiveDefinition } from '../../archive/index.js';
import { canTrace, replacesOf, traceScript } from '../helpers/syscall-trace.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-archive-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${n++}-`));
const modeOf = (path: string): number => statSync(path).mode & 0o777;
const savedUmask = process.umask();
afterEach(() => void process.umask(savedUmask));

const START = 1_700_000_000;
const simple: ArchiveDefinition = {
  step: 60,
  dataSources: [{ name: 'v', type: 'GAUGE', heartbeat: 120, min: 0, max: 100 }],
  rras: [{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 5000 }],
};

describe('archive file modes', () => {
  it('creates 0600 under umask 022 and under a umask that takes the owner write bit', () => {
    const dir = freshDir();
    process.umask(0o022);
    createArchive(join(dir, 'a.rma'), simple, { start: START });
    process.umask(0o277);
    createArchive(join(dir, 'b.rma'), simple, { start: START, sync: false });
    process.umask(savedUmask);
    expect(modeOf(join(dir, 'a.rma'))).toBe(0o600);
    expect(modeOf(join(dir, 'b.rma'))).toBe(0o600);
  });

  it('overwrites a 0644 file with a 0600 one; a refused create leaves the old file and no temporary file', () => {
    process.umask(0o022);
    const dir = freshDir();
    const path = join(dir, 'a.rma');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    expect(() => createArchive(path, simple, { start: START })).toThrow(/exists/);
    expect(readdirSync(dir)).toEqual(['a.rma']);
    expect(modeOf(path)).toBe(0o644);
    createArchive(path, simple, { start: START, overwrite: true });
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.rma']);
  });

  it('keeps the sidecar of a large commit 0600', () => {
    process.umask(0o022);
    const path = join(freshDir(), 'a.rma');
    createArchive(path, simple, { start: START });
    const file = openArchive(path, { write: true });
    try {
      const samples = Array.from({ length: 4000 }, (_, i) => ({ time: START + 60 * (i + 1), values: [i % 100] }));
      updateArchiveFile(file, samples);
      expect(file.hasSidecar).toBe(true);
      expect(modeOf(sidecarPath(path))).toBe(0o600);
    } finally {
      file.close();
    }
    expect(existsSync(sidecarPath(path))).toBe(false);
  });

  it.skipIf(!canTrace)('a create makes a new 0600 file exclusively, syncs it, links it into place and syncs the folder (strace)', () => {
    const dir = freshDir();
    const path = join(dir, 'cli.rma');
    const calls = traceScript(join(import.meta.dirname, 'create-child.ts'), [path]);
    const replaces = replacesOf(calls, path);
    expect(replaces).toHaveLength(1);
    expect(replaces[0]).toMatchObject({ how: 'link', fileSynced: true, folderSyncedAfter: true, createMode: '0600', createFlags: expect.stringContaining('O_EXCL') });
    expect(basename(replaces[0].temporary)).toMatch(/^\.cli\.rma\.\d+\.[0-9a-f]{12}\.tmp$/);
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['cli.rma']);
  });
});
