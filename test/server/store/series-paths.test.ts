/** Series names to archive paths and back, whisper style, and the scan of an archive tree. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archivePath, scanArchives, seriesOfPath } from '../../../server/store/series-paths.js';

describe('archive paths', () => {
  it('maps dotted segments to directories and back', () => {
    expect(archivePath('/d', 'host.web01.cpu')).toBe('/d/host/web01/cpu.rma');
    expect(archivePath('/d', 'load')).toBe('/d/load.rma');
    expect(seriesOfPath('/d', '/d/host/web01/cpu.rma')).toBe('host.web01.cpu');
    expect(seriesOfPath('/d', '/d/host/.cpu.rma.0a1b2c.tmp')).toBeUndefined();
    expect(seriesOfPath('/d', '/d/host/.cpu.rma.redo')).toBeUndefined();
  });

  it('refuses names that could leave the root or are not series names', () => {
    for (const bad of ['..', 'a..b', '.a', 'a.', 'a/b', 'a.b/../../etc', '', 'a b']) {
      expect(() => archivePath('/d', bad), bad).toThrow(/refusing/);
    }
  });

  it('scans a tree for archives, and finds none where there is no tree', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ringmon-paths-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'host', 'web01'), { recursive: true });
    for (const f of ['host/web01/cpu.rma', 'host/web01/.cpu.rma.redo', 'host/mem.rma', 'top.rma', 'notes.txt']) writeFileSync(join(root, f), '');
    expect((await scanArchives(root)).sort()).toEqual(['host.mem', 'host.web01.cpu', 'top']);
    expect(await scanArchives(join(root, 'missing'))).toEqual([]);
  });
});
