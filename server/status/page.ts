/**
 * The status board as a whole HTML page (GET /status), rendered on the
 * server: no script at all, so it needs nothing of the web client and
 * keeps the content-security-policy every answer carries (its stylesheet
 * is a file, STATUS_STYLESHEET_PATH). It reloads itself (a meta refresh) only
 * when asked to (`?reload=1`, for a wall display): a page that reloads on its
 * own moves a screen reader back to the top and cannot be stopped (WCAG
 * 2.2.1), so each form links to the other. Every text
 * from the config, metadata or a downtime's reason is escaped. Times are
 * shown in UTC. Elements carry data-* attributes (group, item, state,
 * level) for tests and for people who scrape the page.
 */
import { formatDuration } from '../../lib/duration.js';
import { escapeHtml } from '../notify/format.js';
import type { Level, StatusBoard, StatusDowntime, StatusGroup, StatusItem } from './model.js';
import type { Uptime } from './uptime.js';

/** Where the page itself is served (server/routes/status.ts). */
export const STATUS_PAGE_PATH = '/status';

/** Where the page's stylesheet is served (server/routes/status.ts). */
export const STATUS_STYLESHEET_PATH = '/status/style.css';

/** How often a browser reloads the page, at least: more often would only fetch the same cached answer. */
const MIN_RELOAD_SECONDS = 60;

const LEVEL_WORDS: Readonly<Record<Level, string>> = { ok: 'Operational', warning: 'Degraded', critical: 'Outage', unknown: 'No data' };
const OVERALL_WORDS: Readonly<Record<Level, string>> = { ok: 'All systems operational', warning: 'Some systems degraded', critical: 'Some systems down', unknown: 'Some systems not reporting' };

const utc = (t: number): string => `${new Date(Math.floor(t) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function percent(u: Uptime | undefined): string {
  if (u === undefined) return '<td class="uptime">—</td>';
  if (u.percent === null) return '<td class="uptime" title="planned downtime the whole time">—</td>';
  const planned = u.plannedSeconds > 0 ? ` title="${escapeHtml(`${formatDuration(u.plannedSeconds)} of planned downtime left out`)}"` : '';
  return `<td class="uptime"${planned}>${u.percent.toFixed(3)} %</td>`;
}

function itemRow(item: StatusItem, now: number): string {
  const name = item.displayName === undefined ? escapeHtml(item.name) : `${escapeHtml(item.displayName)} <span class="id">${escapeHtml(item.name)}</span>`;
  const maintenance = item.maintenance ? ' <span class="maintenance">maintenance</span>' : '';
  return [
    `<tr data-item="${escapeHtml(item.name)}" data-kind="${item.kind}" data-state="${escapeHtml(item.state)}" data-level="${item.level}">`,
    `<td class="name">${name}</td>`,
    `<td class="state level-${item.level}">${escapeHtml(item.state)}${maintenance}</td>`,
    `<td class="since" title="${utc(item.since)}">${escapeHtml(formatDuration(Math.max(0, Math.round(now - item.since))))}</td>`,
    percent(item.uptime?.last24h),
    percent(item.uptime?.last30d),
    '</tr>',
  ].join('');
}

function downtimeEntry(d: StatusDowntime): string {
  const end = d.end === null ? 'until further notice' : utc(d.end);
  const reason = d.reason === null ? 'Planned maintenance' : escapeHtml(d.reason);
  return `<li data-downtime data-start="${d.start}"><span class="when">${utc(d.start)} – ${end}</span> ${reason} <span class="covers">(${d.items.map(escapeHtml).join(', ')})</span></li>`;
}

function groupSection(group: StatusGroup, now: number): string {
  const omitted = group.omitted > 0 ? `<p class="omitted">${group.omitted} more not shown.</p>` : '';
  const rows = group.items.length === 0 ? '<tr><td colspan="5" class="none">Nothing to show yet.</td></tr>' : group.items.map((i) => itemRow(i, now)).join('\n');
  const downtimes = group.downtimes.length === 0 ? '' : `<h3>Planned maintenance</h3><ul class="downtimes">${group.downtimes.map(downtimeEntry).join('')}</ul>`;
  return [
    `<section class="group" data-group="${escapeHtml(group.name)}" data-level="${group.level}">`,
    `<h2>${escapeHtml(group.title)} <span class="level level-${group.level}">${LEVEL_WORDS[group.level]}</span></h2>`,
    '<table><thead><tr><th>Name</th><th>State</th><th>For</th><th>Uptime 24 h</th><th>Uptime 30 days</th></tr></thead>',
    `<tbody>${rows}</tbody></table>`,
    omitted,
    downtimes,
    '</section>',
  ].join('\n');
}

/** The whole page; `reload`: it reloads itself every minute (or status.refresh, when longer). */
export function statusPageHtml(board: StatusBoard, reload: boolean): string {
  const title = escapeHtml(board.title);
  const every = Math.max(MIN_RELOAD_SECONDS, board.refreshSeconds);
  const reloading = reload
    ? `Reloads itself every ${formatDuration(every)}: <a id="reload" href="${STATUS_PAGE_PATH}">stop reloading</a>.`
    : `<a id="reload" href="${STATUS_PAGE_PATH}?reload=1">Reload every ${formatDuration(every)}</a>.`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(reload ? [`<meta http-equiv="refresh" content="${every}">`] : []),
    `<title>${title}</title>`,
    `<link rel="stylesheet" href="${STATUS_STYLESHEET_PATH}">`,
    '</head><body>',
    `<header><h1>${title}</h1><p id="overall" class="level-${board.level}" data-level="${board.level}">${OVERALL_WORDS[board.level]}</p>`,
    `<p class="generated">Updated ${utc(board.generatedAt)}. Uptime leaves planned maintenance out. ${reloading}</p></header>`,
    '<main>',
    ...board.groups.map((g) => groupSection(g, board.generatedAt)),
    '</main></body></html>',
    '',
  ].join('\n');
}

/** The page's stylesheet. */
export const STATUS_STYLESHEET = `body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1d2329; background: #fff; }
h1 { margin: 0.2em 0; }
#overall { font-size: 1.2em; font-weight: 600; padding: 0.6em 0.8em; border-radius: 6px; color: #fff; }
.generated, .omitted, .id, .covers, .none { color: #5b6570; }
.id { font-size: 0.85em; margin-left: 0.4em; }
section.group { margin-top: 1.6em; }
h2 .level { font-size: 0.6em; vertical-align: middle; padding: 0.15em 0.5em; border-radius: 4px; color: #fff; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th:first-child { width: 40%; }
th, td { text-align: left; padding: 0.35em 0.6em; border-bottom: 1px solid #e1e4e8; }
td.uptime { font-variant-numeric: tabular-nums; text-align: right; }
td.state { font-weight: 600; }
td.state.level-ok { color: #1a7f37; } td.state.level-warning { color: #9a6700; } td.state.level-critical { color: #cf222e; } td.state.level-unknown { color: #57606a; }
#overall.level-ok, h2 .level-ok { background: #1a7f37; } #overall.level-warning, h2 .level-warning { background: #9a6700; }
#overall.level-critical, h2 .level-critical { background: #cf222e; } #overall.level-unknown, h2 .level-unknown { background: #57606a; }
.maintenance { font-weight: normal; font-size: 0.85em; background: #ddf4ff; color: #0550ae; padding: 0 0.4em; border-radius: 4px; }
ul.downtimes { padding-left: 1.2em; } .when { font-weight: 600; }
`;
