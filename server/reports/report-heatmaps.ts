/**
 * Heatmaps in a report: `reports[i].heatmaps` names views of
 * `heatmaps.views`, each drawn at every run over the view's own range
 * (`range`, in its `bucket`s) ending at the end of the run's window, so a
 * daily report of a 30-day view shows the last 30 days, not one column.
 *
 * Each drawn PNG goes:
 * - into the mail as an inline part (`Content-ID`, the message becomes
 *   multipart/related) that the HTML shows with `<img src="cid:...">`; the
 *   text body says where to find it. The bytes travel inside the report
 *   kept in the outbox row (base64), so a mail the outbox accepted survives a
 *   relay outage and a restart with its pictures;
 * - into the archive beside the CSV and HTML as `<name>-<minute>Z-<view>.png`
 *   (report-name.ts), which the archived HTML shows by that relative name.
 *
 * A heatmap that cannot be drawn (over the heatmaps limits, an unreadable
 * store) or whose PNG passes MAX_HEATMAP_PNG_BYTES is left out with a
 * warning in the log and a line saying why in both bodies: the report
 * itself still goes out.
 */
import { formatDuration } from '../../lib/duration.js';
import { classLabels, heatmapPng, type HeatmapLimits, type HeatmapSources, type HeatmapsSettings } from '../heatmap/index.js';
import { escapeHtml } from './report-bodies.js';
import type { Report, ReportFile } from './report-model.js';
import { heatmapFileName, runStamp } from './report-name.js';
import { isoUtc } from './time-text.js';

/** Largest PNG a report embeds: mail relays commonly refuse messages past 10 to 25 MB, and MAX_REPORT_HEATMAPS of these fit. */
export const MAX_HEATMAP_PNG_BYTES = 2 * 1024 * 1024;

/** One view drawn for a run, with the words to put around the picture (it holds no text). */
export interface DrawnHeatmap {
  readonly png: Buffer;
  readonly title: string;
  /** The first bucket's start and the last one's end, Unix seconds. */
  readonly from: number;
  readonly to: number;
  readonly bucket: number;
  /** The rows top to bottom: `Display name (series)` or the series. */
  readonly rows: readonly string[];
  /** Each colour with its words, the no-data colour first. */
  readonly legend: readonly { readonly colour: string; readonly label: string }[];
}

/**
 * What the scheduler is given: the configured view names (a report naming
 * another is refused at start), and a drawing of a view ending at `to`.
 * draw() may throw (over a limit, store errors); the run goes on without it.
 */
export interface ReportHeatmapSource {
  readonly views: readonly string[];
  draw(view: string, to: number): Promise<DrawnHeatmap>;
}

/** The drawings from the server's store and metadata, within the `heatmaps` limits and limits.fetchMaxRows as GET /api/v1/heatmap is. */
export function reportHeatmapSource(sources: HeatmapSources, settings: HeatmapsSettings, maxRows: number): ReportHeatmapSource {
  const limits: HeatmapLimits = { maxSeries: settings.maxSeries, maxBuckets: settings.maxBuckets, maxRows };
  return {
    views: settings.views.map((v) => v.name),
    async draw(name, to) {
      const view = settings.views.find((v) => v.name === name);
      if (view === undefined) throw new Error(`no heatmap view '${name}' in heatmaps.views`);
      const { png, grid } = await heatmapPng(sources, view, { to, limits });
      const labels = classLabels(view.classes, view.unit);
      return {
        png,
        title: view.title ?? view.name,
        from: grid.from,
        to: grid.to,
        bucket: grid.bucket,
        rows: grid.rows.map((row) => (row.displayName === undefined ? row.series : `${row.displayName} (${row.series})`)),
        legend: [{ colour: view.noData, label: 'no data' }, ...view.classes.map((c, i) => ({ colour: c.colour, label: labels[i] }))],
      };
    },
  };
}

/** A heatmap of a run: drawn, or left out and why. */
export type ReportHeatmap = { readonly view: string; readonly drawn: DrawnHeatmap } | { readonly view: string; readonly problem: string };

/** Draws each view in order; never throws: a view that fails or is too large is left out, logged with the report's name. */
export async function drawReportHeatmaps(
  report: string,
  views: readonly string[],
  source: ReportHeatmapSource | undefined,
  to: number,
  log: { warn(fields: object, message: string): void },
): Promise<ReportHeatmap[]> {
  const out: ReportHeatmap[] = [];
  for (const view of views) {
    let problem: string;
    try {
      if (source === undefined) throw new Error('no heatmaps are configured');
      const drawn = await source.draw(view, to);
      if (drawn.png.length <= MAX_HEATMAP_PNG_BYTES) {
        out.push({ view, drawn });
        continue;
      }
      problem = `its PNG is ${drawn.png.length} bytes, over the ${MAX_HEATMAP_PNG_BYTES} a report embeds: give the view a narrower match, range or larger bucket`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    log.warn({ report, heatmap: view }, `report ${report}: heatmap ${view} left out: ${problem}`);
    out.push({ view, problem });
  }
  return out;
}

/** The mail with the heatmaps inline, the HTML to archive (pictures by file name) and the PNG files to archive. */
export interface EmbeddedHeatmaps {
  readonly mail: Report;
  readonly archivedHtml: string;
  readonly images: readonly { readonly file: string; readonly png: Buffer }[];
}

/** The Content-ID of a run's heatmap: unique per run and view, as a mail reader matches it within one message. */
const contentId = (name: string, at: number, view: string): string => `heatmap-${view}.${name}-${runStamp(at)}@ringmon`;

/** Width and height from the PNG's IHDR chunk (bytes 16 to 23), for the img tag. */
const pngSize = (png: Buffer): { width: number; height: number } => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

function heatmapHtml(heatmap: ReportHeatmap, src: (file: string) => string, file: string): string {
  if ('problem' in heatmap) return `<p>Heatmap ${escapeHtml(heatmap.view)} left out: ${escapeHtml(heatmap.problem)}</p>`;
  const { drawn } = heatmap;
  const { width, height } = pngSize(drawn.png);
  const legend = drawn.legend.map((c) => `<span style="display:inline-block;width:12px;height:12px;background:${c.colour}"></span> ${escapeHtml(c.label)}`).join(' &nbsp; ');
  return [
    `<h2>${escapeHtml(drawn.title)}</h2>`,
    `<p>${escapeHtml(span(drawn))}</p>`,
    `<p>${legend}</p>`,
    `<img src="${escapeHtml(src(file))}" alt="${escapeHtml(`heatmap ${drawn.title}`)}" width="${width}" height="${height}">`,
    `<p>Rows, top to bottom:</p>`,
    `<ol>${drawn.rows.map((row) => `<li>${escapeHtml(row)}</li>`).join('')}</ol>`,
  ].join('\n');
}

const span = (drawn: DrawnHeatmap): string => `From ${isoUtc(drawn.from)} to ${isoUtc(drawn.to)}, one column per ${formatDuration(drawn.bucket)}, ${drawn.rows.length} rows.`;

/** Puts `sections` just before the end of the body built by report-bodies.ts htmlBody. */
function beforeBodyEnd(html: string, sections: string): string {
  const end = html.lastIndexOf('</body>');
  return end < 0 ? `${html}${sections}\n` : `${html.slice(0, end)}${sections}\n${html.slice(end)}`;
}

/**
 * The report of run `name` at `at` with its heatmaps: in the mail as inline
 * images by Content-ID, in the archived HTML by relative file name. Without
 * heatmaps, the report as it was.
 */
export function embedHeatmaps(report: Report, name: string, at: number, heatmaps: readonly ReportHeatmap[]): EmbeddedHeatmaps {
  if (heatmaps.length === 0) return { mail: report, archivedHtml: report.html, images: [] };
  const fileOf = (view: string): string => heatmapFileName(name, at, view);
  const mailHtml = heatmaps.map((h) => heatmapHtml(h, () => `cid:${contentId(name, at, h.view)}`, fileOf(h.view))).join('\n');
  const archiveHtml = heatmaps.map((h) => heatmapHtml(h, (file) => file, fileOf(h.view))).join('\n');
  const text = heatmaps.map((h) =>
    'problem' in h
      ? `Heatmap ${h.view} left out: ${h.problem}`
      : `Heatmap ${h.drawn.title}: ${span(h.drawn)} The picture is in the HTML part of this mail and archived as ${fileOf(h.view)} (GET /api/v1/reports/${name}/runs/${fileOf(h.view)}).`,
  );
  const inline: ReportFile[] = heatmaps.flatMap((h) =>
    'problem' in h ? [] : [{ filename: fileOf(h.view), content: h.drawn.png.toString('base64'), contentType: 'image/png' as const, encoding: 'base64' as const, cid: contentId(name, at, h.view) }],
  );
  return {
    mail: { ...report, text: `${report.text}\n${text.join('\n')}\n`, html: beforeBodyEnd(report.html, mailHtml), attachments: [...report.attachments, ...inline] },
    archivedHtml: beforeBodyEnd(report.html, archiveHtml),
    images: heatmaps.flatMap((h) => ('problem' in h ? [] : [{ file: fileOf(h.view), png: h.drawn.png }])),
  };
}
