/**
 * A name from the system (a mount point, an interface, a thermal zone) as
 * one series segment: characters outside A-Z a-z 0-9 _ - become `_`, so
 * `/var/lib` → `var_lib` and `/` → `root`.
 */
export function seriesSegment(name: string): string {
  const trimmed = name.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return 'root';
  return trimmed.replace(/[^A-Za-z0-9_-]+/g, '_');
}

/** `seriesSegment` for a list, with `_2`, `_3`... added where two names come out the same (`/a_b` and `/a/b`). */
export function uniqueSegments(names: readonly string[]): string[] {
  const used = new Map<string, number>();
  return names.map((name) => {
    const base = seriesSegment(name);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}
