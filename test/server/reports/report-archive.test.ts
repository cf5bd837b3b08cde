/** The audit copy: its name, its content (the attachment's, byte for byte), and what is left when writing fails. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveFileName, archiveReport, buildReport, listRuns, pruneRuns, readRun } from '../../../server/reports/index.js';
import { definition, entry, periodOf, RUN_AT } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-report-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDataDir = (): string => mkdtempSync(join(root, `data-${++n}-`));

describe('archiveReport', () => {
  it('writes the attachment to <dataDir>/reports/<name>-<minute>Z.csv, creating the folder, leaving no temporary file', async () => {
    const dataDir = freshDataDir();
    const reason = 'a "quoted", multi-line\nreason é';
    const built = buildReport(definition(), periodOf([entry('s1.web01.cpu', 'CRITICAL', { downtime: { id: 4, kind: 'planned', reason } })]), RUN_AT + 59.9);
    const path = await archiveReport(dataDir, 'daily', built.at, built.csv);
    expect(path).toBe(join(dataDir, 'reports', 'daily-2026-11-24T0030Z.csv'));
    expect(basename(path)).toBe(built.report.attachments[0].filename);
    expect(readFileSync(path, 'utf8')).toBe(built.report.attachments[0].content);
    expect(readdirSync(join(dataDir, 'reports'))).toEqual(['daily-2026-11-24T0030Z.csv']);
  });

  it('names files by the UTC minute, so they sort by time', () => {
    expect(archiveFileName('ops-weekly', Date.UTC(2027, 0, 2, 3, 4, 59) / 1000)).toBe('ops-weekly-2027-01-02T0304Z.csv');
    expect(archiveFileName('a', Date.UTC(2026, 11, 31, 23, 59) / 1000) < archiveFileName('a', Date.UTC(2027, 0, 1, 0, 0) / 1000)).toBe(true);
  });

  it('replaces the copy of an earlier run in the same minute whole', async () => {
    const dataDir = freshDataDir();
    const path = await archiveReport(dataDir, 'daily', RUN_AT, 'group\r\nfirst\r\n');
    await archiveReport(dataDir, 'daily', RUN_AT + 30, 'group\r\n');
    expect(readFileSync(path, 'utf8')).toBe('group\r\n');
    expect(readdirSync(join(dataDir, 'reports'))).toHaveLength(1);
  });

  it('rejects with the file system error when the folder cannot be made, and leaves nothing behind', async () => {
    const dataDir = freshDataDir();
    writeFileSync(join(dataDir, 'reports'), 'a file where the folder should be');
    await expect(archiveReport(dataDir, 'daily', RUN_AT, 'x\r\n')).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(readdirSync(dataDir)).toEqual(['reports']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const dataDir = freshDataDir();
    mkdirSync(join(dataDir, 'reports', archiveFileName('daily', RUN_AT)), { recursive: true });
    await expect(archiveReport(dataDir, 'daily', RUN_AT, 'x\r\n')).rejects.toMatchObject({ code: expect.any(String) });
    expect(readdirSync(join(dataDir, 'reports'))).toEqual([archiveFileName('daily', RUN_AT)]);
  });
});

describe('archiveReport modes', () => {
  it('makes reports/ 0700 and each copy 0600, under umask 022 (they were 0755 and 0640)', async () => {
    const saved = process.umask(0o022);
    try {
      const dataDir = freshDataDir();
      const path = await archiveReport(dataDir, 'daily', RUN_AT, 'group\r\n');
      expect(statSync(join(dataDir, 'reports')).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(saved);
    }
  });
});

describe('the archived runs', () => {
  const at = (days: number): number => RUN_AT - days * 86400;

  it('are listed newest first with both files, read back by name only, and removed once older than keep', async () => {
    const dataDir = freshDataDir();
    await archiveReport(dataDir, 'daily', at(40), 'old\r\n', '<p>old</p>');
    await archiveReport(dataDir, 'daily', at(1), 'new\r\n', '<p>new</p>');
    await archiveReport(dataDir, 'daily-x', at(1), 'other report\r\n');
    writeFileSync(join(dataDir, 'reports', 'notes.txt'), 'not a run');
    const runs = await listRuns(dataDir, 'daily');
    expect(runs.map((r) => [r.stamp, Object.keys(r.files).sort()])).toEqual([
      ['2026-11-23T0030Z', ['csv', 'html']],
      ['2026-10-15T0030Z', ['csv', 'html']],
    ]);
    expect(await readRun(dataDir, 'daily', 'daily-2026-11-23T0030Z.html')).toEqual({ kind: 'html', content: '<p>new</p>' });
    for (const file of ['../daily-2026-11-23T0030Z.csv', 'daily-2026-11-23T0030Z.csv/..', 'notes.txt', 'daily-x-2026-11-23T0030Z.csv', 'daily-2026-02-30T0030Z.csv', 'daily-2026-11-24T0030Z.csv']) {
      expect(await readRun(dataDir, 'daily', file), file).toBeUndefined();
    }
    expect(await pruneRuns(dataDir, 'daily', 30 * 86400, RUN_AT)).toEqual(['daily-2026-10-15T0030Z.csv', 'daily-2026-10-15T0030Z.html']);
    expect(readdirSync(join(dataDir, 'reports')).sort()).toEqual(['daily-2026-11-23T0030Z.csv', 'daily-2026-11-23T0030Z.html', 'daily-x-2026-11-23T0030Z.csv', 'notes.txt']);
  });

  it('are none before the first run', async () => {
    expect(await listRuns(freshDataDir(), 'daily')).toEqual([]);
    expect(await pruneRuns(freshDataDir(), 'daily', 86400, RUN_AT)).toEqual([]);
  });
});
