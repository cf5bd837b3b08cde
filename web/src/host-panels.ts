/**
 * A host page's small graphs, as Munin draws a host: the host's series in
 * sets that read together (CPU, load, memory, swap, each disk, each
 * interface, temperatures, then the rest by their first segment), each set
 * split by unit so that no small graph mixes two units.
 *
 * A set comes from the name after the host's prefix (`host.web01` +
 * `.cpu.busy_percent`), as the built-in slurpers write it: `cpu.*`,
 * `load.*`, `memory.*`, `swap.*`, `mount.<disk>.*` (`disk.<disk>.*`),
 * `net.<interface>.*` (`if.<interface>.*`), `temp.<sensor>.*`. A name of one
 * segment (`up`, `ttfb_seconds`) goes with the others of its unit.
 */
import type { SeriesInfo } from './api-types.js';

export interface HostPanel {
  /** Unique on the page: the set and the unit (`disk.root B`). */
  readonly key: string;
  /** Unique on the page: "Disk root", or "Disk root (%)" where the set's series come in several units. */
  readonly title: string;
  /** The unit of every series in it, as the API gives it (`%`, `B/s`); '' where the API gives none. */
  readonly unit: string;
  /** Full series names, sorted. */
  readonly series: readonly string[];
}

interface SetOf {
  /** The set's key: ordering and identity. */
  readonly key: string;
  readonly title: string;
  /** Where it comes among the known sets; the rest after them, by key. */
  readonly order: number;
}

/** The sets whose name is one segment: `load.1m` → Load. */
const WHOLE: Readonly<Record<string, { title: string; order: number }>> = {
  cpu: { title: 'CPU', order: 0 },
  load: { title: 'Load', order: 1 },
  memory: { title: 'Memory', order: 2 },
  mem: { title: 'Memory', order: 2 },
  swap: { title: 'Swap', order: 3 },
  temp: { title: 'Temperatures', order: 6 },
};

/** The sets of one thing each, named by the segment after theirs: `mount.root.used_bytes` → Disk root. */
const PER_THING: Readonly<Record<string, { title: string; order: number; set: string }>> = {
  mount: { title: 'Disk', order: 4, set: 'disk' },
  disk: { title: 'Disk', order: 4, set: 'disk' },
  net: { title: 'Interface', order: 5, set: 'if' },
  if: { title: 'Interface', order: 5, set: 'if' },
};

/** Most lines in one small graph: more do not read at its size; a bigger set takes several panels. */
export const PANEL_LIMIT = 20;

/** Past the known sets. */
const OTHER_ORDER = 7;
/** Single-segment names, last. */
const LOOSE_ORDER = 8;

/** The set a name (after the host's prefix, split at dots) belongs to. */
function setOf(rest: readonly string[]): SetOf {
  const [first] = rest;
  const thing = PER_THING[first];
  if (thing && rest.length >= 3) return { key: `${thing.set}.${rest[1]}`, title: `${thing.title} ${rest[1]}`, order: thing.order };
  const whole = WHOLE[first];
  if (whole) return { key: whole.title.toLowerCase(), title: whole.title, order: whole.order };
  if (rest.length >= 2) return { key: first, title: first, order: OTHER_ORDER };
  return { key: '', title: '', order: LOOSE_ORDER };
}

/** Name endings that say the unit, where the API gives none: they keep two units apart, though no unit is shown. */
const SUFFIX_UNITS: readonly (readonly [string, string])[] = [
  ['_percent', '%'],
  ['_bytes', 'B'],
  ['_seconds', 's'],
  ['celsius', '°C'],
];

/** What keeps series of different units apart: the unit the API gives, else the one the name's ending says. */
function unitKey(info: SeriesInfo): string {
  if (info.unit !== undefined) return info.unit;
  return SUFFIX_UNITS.find(([suffix]) => info.series.endsWith(suffix))?.[1] ?? '';
}

/** A panel's title where the set's name says nothing (single-segment names): the names, the first three. */
function looseTitle(rests: readonly string[]): string {
  const shown = rests.slice(0, 3).join(', ');
  return rests.length > 3 ? `${shown} +${rests.length - 3}` : shown;
}

/**
 * The panels of the series in `infos` that lie under one of `prefixes`
 * (`host.web01` holds `host.web01.cpu.busy_percent`); series under none are
 * left out. A name under two prefixes goes with the longer. In the order a
 * host page shows them: CPU, load, memory, swap, disks, interfaces,
 * temperatures, other sets, single names; by set and unit within.
 */
export function hostPanels(infos: readonly SeriesInfo[], prefixes: readonly string[]): HostPanel[] {
  const longestFirst = [...prefixes].sort((a, b) => b.length - a.length);
  const sets = new Map<string, { set: SetOf; unit: string; shownUnit: string | undefined; members: { series: string; rest: string }[] }>();
  for (const info of infos) {
    const prefix = longestFirst.find((p) => info.series.startsWith(`${p}.`));
    if (prefix === undefined) continue;
    const rest = info.series.slice(prefix.length + 1);
    const set = setOf(rest.split('.'));
    const unit = unitKey(info);
    const key = `${set.key} ${unit}`;
    const entry = sets.get(key) ?? { set, unit, shownUnit: undefined, members: [] };
    entry.shownUnit ??= info.unit;
    entry.members.push({ series: info.series, rest });
    sets.set(key, entry);
  }
  const unitsPerSet = new Map<string, number>();
  for (const { set } of sets.values()) unitsPerSet.set(set.key, (unitsPerSet.get(set.key) ?? 0) + 1);
  const entries = [...sets.entries()].sort(([ka, a], [kb, b]) => a.set.order - b.set.order || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return entries.flatMap(([key, { set, unit, shownUnit, members }]) => {
    members.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : 0));
    const split = set.order !== LOOSE_ORDER && (unitsPerSet.get(set.key) ?? 0) > 1;
    const panels: HostPanel[] = [];
    for (let i = 0; i < members.length; i += PANEL_LIMIT) {
      const part = members.slice(i, i + PANEL_LIMIT);
      const base = set.order === LOOSE_ORDER ? looseTitle(part.map((m) => m.rest)) : set.title;
      const title = `${base}${split ? ` (${unit || 'no unit'})` : ''}${members.length > PANEL_LIMIT ? `, ${i + 1}–${i + part.length} of ${members.length}` : ''}`;
      panels.push({ key: i === 0 ? key : `${key} ${i}`, title, unit: shownUnit ?? '', series: part.map((m) => m.series) });
    }
    return panels;
  });
}
