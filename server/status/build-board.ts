/**
 * Builds the status board from the `status` section and the server's parts
 * (StatusSources): the items each group's patterns choose now, in name
 * order (nodes, then series), at most status.maxItems over all groups;
 * each with its state, its uptime over the last 24 h and 30 days
 * (uptime.ts) from its alarm history with its planned downtime left out,
 * and the planned downtime windows in force or starting within
 * status.upcoming. Only what this returns is public; it holds no value,
 * threshold, rule, recipient or downtime scope.
 *
 * A node's history is its node-down alarm item: down while it is CRITICAL
 * (`late` is not recorded, and counts as up). A series is down while
 * CRITICAL or NODATA; WARNING counts as up. An item with more than
 * MAX_CHANGES transitions in 30 days has no uptime (null) rather than an
 * unbounded read, and so has one whose planned windows a downtime listing
 * refuses (more than downtimes.maxListedWindows).
 */
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import type { StatusSettings } from './config-section.js';
import { LEVEL_ORDER, type Level, type NodeNow, type PlannedWindow, type SeriesNow, type StatusBoard, type StatusDowntime, type StatusGroup, type StatusItem, type StatusSources } from './model.js';
import { uptime, type Span } from './uptime.js';

const DAY = 86_400;
/** Most transitions of one item read for its 30 days. */
export const MAX_CHANGES = 10_000;

type Ref = { readonly kind: 'node'; readonly node: NodeNow; readonly item: string } | { readonly kind: 'series'; readonly series: SeriesNow; readonly item: string };

const NODE_LEVEL: Readonly<Record<NodeNow['state'], Level>> = { up: 'ok', late: 'warning', down: 'critical' };
const SERIES_LEVEL: Readonly<Record<SeriesNow['status'], Level>> = { OK: 'ok', WARNING: 'warning', CRITICAL: 'critical', NODATA: 'unknown' };
const nodeDown = (state: string): boolean => state === 'CRITICAL';
const seriesDown = (state: string): boolean => state === 'CRITICAL' || state === 'NODATA';

/** The worst of `levels`; ok for none. */
export function worst(levels: readonly Level[]): Level {
  return LEVEL_ORDER.find((level) => levels.includes(level)) ?? 'ok';
}

const patterns = (match: string | readonly string[] | undefined): SeriesMatcher[] => (match === undefined ? [] : (typeof match === 'string' ? [match] : match).map(seriesGlob));
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A function building the board now; `nodeItem` names a node's alarm item (server/alarms node-alarms.ts). */
export function boardBuilder(settings: StatusSettings, sources: StatusSources, nodeItem: (node: NodeNow) => string): () => Promise<StatusBoard> {
  const groups = settings.groups.map((g) => ({ name: g.name, title: g.title ?? g.name, nodes: patterns(g.nodes), series: patterns(g.series) }));

  async function itemOf(ref: Ref, now: number): Promise<{ item: StatusItem; windows: readonly PlannedWindow[] }> {
    // Planned windows past downtimes.maxListedWindows (a listing refuses them): no uptime rather than a wrong one, nor a failed board.
    const [newestFirst, listed] = await Promise.all([sources.history(ref.item, now - 30 * DAY, now, MAX_CHANGES + 1), sources.planned(ref.item, now - 30 * DAY, now + settings.upcoming).catch(() => undefined)]);
    const windows = listed ?? [];
    const changes = [...newestFirst].reverse();
    const initial = changes[0]?.from ?? sources.stateOf(ref.item) ?? 'OK';
    const isDown = ref.kind === 'node' ? nodeDown : seriesDown;
    const over = (seconds: number) => uptime(changes, initial, windows as readonly Span[], now - seconds, now, isDown);
    const maintenance = windows.some((w) => w.start <= now && (w.end === null || w.end > now));
    const common = { maintenance, uptime: newestFirst.length > MAX_CHANGES || listed === undefined ? null : { last24h: over(DAY), last30d: over(30 * DAY) } };
    if (ref.kind === 'node') {
      const { node } = ref;
      const displayName = sources.displayName(node.name);
      return { item: { kind: 'node', name: node.name, ...(displayName === undefined ? {} : { displayName }), state: node.state, level: NODE_LEVEL[node.state], since: node.since, ...common }, windows };
    }
    const { series } = ref;
    const named = series.displayName === undefined ? {} : { displayName: series.displayName };
    return { item: { kind: 'series', name: series.series, ...named, state: series.status, level: SERIES_LEVEL[series.status], since: series.since, ...common }, windows };
  }

  /** The windows in force or coming within status.upcoming, one entry per window with the items it covers. */
  function downtimesOf(found: readonly { item: StatusItem; windows: readonly PlannedWindow[] }[], now: number): StatusDowntime[] {
    const byWindow = new Map<string, { start: number; end: number | null; reason: string | null; items: string[] }>();
    for (const { item, windows } of found) {
      for (const w of windows) {
        if ((w.end !== null && w.end <= now) || w.start >= now + settings.upcoming) continue;
        const key = `${w.id}:${w.start}`;
        const entry = byWindow.get(key) ?? { start: w.start, end: w.end, reason: settings.reasons ? w.reason : null, items: [] };
        entry.items.push(item.name);
        byWindow.set(key, entry);
      }
    }
    return [...byWindow.values()].sort((a, b) => a.start - b.start);
  }

  return async () => {
    // Whole seconds: the board says when it was built (generatedAt), and its uptimes are counted to exactly then.
    const now = Math.floor(sources.now());
    const nodes = [...sources.nodes()].sort((a, b) => byName(a.name, b.name) || byName(a.kind, b.kind));
    const series = [...sources.series()].sort((a, b) => byName(a.series, b.series));
    let left = settings.maxItems;
    const out: StatusGroup[] = [];
    for (const group of groups) {
      const refs: Ref[] = [
        ...nodes.filter((n) => group.nodes.some((p) => p.test(n.name))).map((node): Ref => ({ kind: 'node', node, item: nodeItem(node) })),
        ...series.filter((s) => group.series.some((p) => p.test(s.series))).map((s): Ref => ({ kind: 'series', series: s, item: s.series })),
      ];
      const shown = refs.slice(0, Math.max(0, left));
      left -= shown.length;
      // One item at a time: each asks the database twice, and a board of hundreds must not hold the event loop.
      const found: { item: StatusItem; windows: readonly PlannedWindow[] }[] = [];
      for (const ref of shown) found.push(await itemOf(ref, now));
      const items = found.map((f) => f.item);
      out.push({ name: group.name, title: group.title, level: worst(items.map((i) => i.level)), items, omitted: refs.length - shown.length, downtimes: downtimesOf(found, now) });
    }
    return { title: settings.title, generatedAt: now, refreshSeconds: settings.refresh, level: worst(out.map((g) => g.level)), groups: out };
  };
}
