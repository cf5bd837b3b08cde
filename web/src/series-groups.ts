/**
 * The overview's tree: series grouped by their first two name segments
 * (site or kind, then host or instance: `host.web01`), the rest of the name
 * being the check. A group's state is the worst of its members'. Problems
 * come first at every level (series-status.ts urgency), then names.
 */
import type { SeriesStatus, StatusKind } from './series-status.js';
import { byUrgency, STATUS_KINDS, urgency } from './series-status.js';

export interface SeriesGroup {
  /** The prefix without a trailing dot (`host`, `host.web01`). */
  readonly prefix: string;
  /** Most urgent first, then by prefix. */
  readonly groups: readonly SeriesGroup[];
  /** Series whose name ends at this level's next segment (or that a deeper group would hold alone); most urgent first, then by name. */
  readonly members: readonly SeriesStatus[];
  readonly worst: StatusKind;
  /** The urgency (series-status.ts) of its most urgent series. */
  readonly urgency: number;
  readonly total: number;
}

/** The order icons are ranked in: a group shows its most urgent member's. */
function rank(kind: StatusKind): number {
  return STATUS_KINDS.indexOf(kind);
}

function byGroupUrgency(a: SeriesGroup, b: SeriesGroup): number {
  return a.urgency - b.urgency || a.prefix.localeCompare(b.prefix);
}

function build(prefix: string, statuses: readonly SeriesStatus[], depth: number, maxDepth: number): SeriesGroup {
  const children = new Map<string, SeriesStatus[]>();
  const members: SeriesStatus[] = [];
  for (const s of statuses) {
    const segments = s.series.split('.');
    if (depth >= maxDepth || segments.length <= depth + 1) {
      members.push(s);
      continue;
    }
    const key = segments.slice(0, depth + 1).join('.');
    const list = children.get(key) ?? [];
    list.push(s);
    children.set(key, list);
  }
  const groups = [...children.entries()].map(([key, list]) => build(key, list, depth + 1, maxDepth)).sort(byGroupUrgency);
  const kinds = [...members.map((m) => m.kind), ...groups.map((g) => g.worst)];
  const worst = kinds.reduce<StatusKind>((w, k) => (rank(k) < rank(w) ? k : w), 'OK');
  const least = Math.min(...members.map(urgency), ...groups.map((g) => g.urgency));
  return { prefix, groups, members: members.sort(byUrgency), worst, urgency: least, total: statuses.length };
}

/** The tree of `statuses`, two levels deep. */
export function groupSeries(statuses: readonly SeriesStatus[]): SeriesGroup {
  return build('', statuses, 0, 2);
}
