/**
 * The parts of a report's heatmaps that need no server: the archive file
 * names of the PNGs (and what is not one), the check of reports[].heatmaps
 * against heatmaps.views, a heatmap left out (too large, failing) without
 * failing the run, the bodies (cid: in the mail, the file name in the
 * archive, operators' text escaped), and the PNGs listed and pruned with
 * their run in a real folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportHeatmapProblems } from '../../../server/reports/config-section.js';
import { archiveReport, drawReportHeatmaps, embedHeatmaps, heatmapFileName, listRuns, MAX_HEATMAP_PNG_BYTES, pruneRuns, readArchiveFileName, readRun, type DrawnHeatmap, type Report, type ReportHeatmapSource } from '../../../server/reports/index.js';
import { encodePng } from '../../../lib/png.js';

const AT = Date.UTC(2026, 10, 24, 0, 30) / 1000;
const PNG_BYTES = encodePng({ width: 2, height: 1, pixels: new Uint8Array([0, 0, 0, 255, 0, 0]) });

const drawn = (png: Buffer = PNG_BYTES, title = 'Broker <errors>'): DrawnHeatmap => ({
  png,
  title,
  from: AT - 2 * 86_400,
  to: AT,
  bucket: 86_400,
  rows: ['Broker A (broker.a.error_rate)', 'x<y'],
  legend: [
    { colour: '#000000', label: 'no data' },
    { colour: '#1f5fd6', label: '0 %' },
  ],
});

const warnings: string[] = [];
const log = { warn: (_fields: object, message: string) => warnings.push(message) };

describe('archive names of heatmaps', () => {
  it('names a PNG by the run and the view, and reads it back', () => {
    const file = heatmapFileName('daily', AT, 'broker-errors');
    expect(file).toBe('daily-2026-11-24T0030Z-broker-errors.png');
    expect(readArchiveFileName('daily', file)).toEqual({ at: AT, stamp: '2026-11-24T0030Z', kind: 'png', view: 'broker-errors' });
    expect(readArchiveFileName('daily', 'daily-2026-11-24T0030Z.csv')).toEqual({ at: AT, stamp: '2026-11-24T0030Z', kind: 'csv' });
  });

  it('reads back no other name', () => {
    for (const file of ['daily-2026-11-24T0030Z-.png', 'daily-2026-11-24T0030Z-../x.png', 'daily-2026-11-24T0030Z-A.png', 'daily-2026-11-24T0030Z.png', 'daily-2026-02-30T0030Z-v.png', 'daily-2026-11-24T0030Z-v.html', 'weekly-2026-11-24T0030Z-v.png']) {
      expect(readArchiveFileName('daily', file), file).toBeUndefined();
    }
  });
});

describe('reports[].heatmaps against heatmaps.views', () => {
  it('names each unknown view by its key', () => {
    expect(reportHeatmapProblems([{}, { heatmaps: ['a', 'nope'] }], ['a'])).toEqual([{ key: 'reports[1].heatmaps[1]', message: "no heatmap view 'nope' in heatmaps.views (configured: a)" }]);
    expect(reportHeatmapProblems([{ heatmaps: ['a'] }], [])).toEqual([{ key: 'reports[0].heatmaps[0]', message: "no heatmap view 'a' in heatmaps.views (none are configured)" }]);
  });
});

describe('drawing a run\'s heatmaps', () => {
  it('leaves out a PNG over MAX_HEATMAP_PNG_BYTES and a view that fails, with a warning each, and keeps the rest', async () => {
    const source: ReportHeatmapSource = {
      views: ['big', 'bad', 'fine'],
      async draw(view) {
        if (view === 'bad') throw new Error('over heatmaps.maxSeries');
        return drawn(view === 'big' ? Buffer.alloc(MAX_HEATMAP_PNG_BYTES + 1) : PNG_BYTES);
      },
    };
    warnings.length = 0;
    const out = await drawReportHeatmaps('daily', ['big', 'bad', 'fine'], source, AT, log);
    expect(out.map((h) => ('problem' in h ? `${h.view}: ${h.problem}` : h.view))).toEqual([
      expect.stringMatching(/^big: its PNG is 2097153 bytes, over the 2097152 a report embeds/),
      'bad: over heatmaps.maxSeries',
      'fine',
    ]);
    expect(warnings).toEqual([expect.stringContaining('report daily: heatmap big left out'), 'report daily: heatmap bad left out: over heatmaps.maxSeries']);
  });
});

describe('the bodies with heatmaps', () => {
  const report: Report = { subject: 's', text: 'all OK\n', html: '<!DOCTYPE html>\n<html><body>\n<p>all OK</p>\n</body></html>\n', attachments: [{ filename: 'daily.csv', content: 'a\r\n', contentType: 'text/csv' }] };

  it('shows the picture by cid: in the mail and by file name in the archive, text escaped', () => {
    const { mail, archivedHtml, images } = embedHeatmaps(report, 'daily', AT, [{ view: 'errors', drawn: drawn() }, { view: 'gone', problem: 'over <limits>' }]);
    const cid = 'heatmap-errors.daily-2026-11-24T0030Z@ringmon';
    expect(mail.html).toContain(`<img src="cid:${cid}" alt="heatmap Broker &lt;errors&gt;" width="2" height="1">`);
    expect(mail.html).toContain('<li>x&lt;y</li>');
    expect(mail.html).toContain('<p>Heatmap gone left out: over &lt;limits&gt;</p>');
    expect(mail.html.indexOf('<h2>Broker &lt;errors&gt;</h2>')).toBeLessThan(mail.html.indexOf('</body>'));
    expect(mail.attachments).toEqual([
      report.attachments[0],
      { filename: 'daily-2026-11-24T0030Z-errors.png', content: PNG_BYTES.toString('base64'), contentType: 'image/png', encoding: 'base64', cid },
    ]);
    expect(mail.text).toContain('archived as daily-2026-11-24T0030Z-errors.png (GET /api/v1/reports/daily/runs/daily-2026-11-24T0030Z-errors.png)');
    expect(mail.text).toContain('Heatmap gone left out: over <limits>');
    expect(archivedHtml).toContain('<img src="daily-2026-11-24T0030Z-errors.png"');
    expect(archivedHtml).not.toContain('cid:');
    expect(images).toEqual([{ file: 'daily-2026-11-24T0030Z-errors.png', png: PNG_BYTES }]);
  });

  it('leaves a report without heatmaps as it was', () => {
    expect(embedHeatmaps(report, 'daily', AT, [])).toEqual({ mail: report, archivedHtml: report.html, images: [] });
  });
});

describe('archived PNGs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringmon-report-png-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are listed with their run, read back as bytes, and pruned with it', async () => {
    await archiveReport(dataDir, 'daily', AT, 'a\r\n', '<p/>', [{ file: heatmapFileName('daily', AT, 'errors'), png: PNG_BYTES }]);
    const [run] = await listRuns(dataDir, 'daily');
    expect(run.images).toEqual([{ view: 'errors', file: 'daily-2026-11-24T0030Z-errors.png', bytes: PNG_BYTES.length }]);
    expect(Object.keys(run.files).sort()).toEqual(['csv', 'html']);
    const read = await readRun(dataDir, 'daily', 'daily-2026-11-24T0030Z-errors.png');
    expect(read?.kind).toBe('png');
    expect(Buffer.compare(read?.content as Buffer, PNG_BYTES)).toBe(0);
    expect(await pruneRuns(dataDir, 'daily', 86_400, AT + 2 * 86_400)).toEqual(['daily-2026-11-24T0030Z-errors.png', 'daily-2026-11-24T0030Z.csv', 'daily-2026-11-24T0030Z.html']);
  });
});
