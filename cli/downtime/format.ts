/** Downtimes as the CLI prints them: the API's JSON shape, and one table row each. */

/** A downtime as the API answers it (server/routes/downtime-schemas.ts). */
export interface ApiDowntime {
  readonly id: number;
  readonly kind: 'planned' | 'unplanned';
  readonly status: 'filed' | 'cancelled';
  readonly scope: { readonly series: readonly string[]; readonly agents: readonly string[] };
  readonly start: string;
  readonly end: string | null;
  readonly rrule: string | null;
  readonly timezone: string;
  readonly reason: string;
  readonly author: string;
  readonly revision: number;
  readonly windows?: readonly { readonly start: string; readonly end: string | null }[];
}

export interface ApiRevision {
  readonly revision: number;
  readonly action: string;
  readonly author: string;
  readonly at: string;
  readonly downtime: ApiDowntime;
}

/** `host.web*.cpu, agent:web01` */
export function scopeText(d: ApiDowntime): string {
  return [...d.scope.series, ...d.scope.agents.map((a) => `agent:${a}`)].join(',');
}

/** `2026-12-01T08:00:00Z – open`, with the rule when it recurs. */
export function windowText(d: ApiDowntime): string {
  const span = `${d.start} – ${d.end ?? 'open'}`;
  return d.rrule === null ? span : `${span} ${d.rrule} (${d.timezone})`;
}

/** Aligned rows under a header: ID KIND STATUS START END SCOPE AUTHOR REASON. */
export function downtimeTable(downtimes: readonly ApiDowntime[]): string {
  const rows = [
    ['ID', 'KIND', 'STATUS', 'START', 'END', 'RECURS', 'SCOPE', 'AUTHOR', 'REASON'],
    ...downtimes.map((d) => [String(d.id), d.kind, d.status, d.start, d.end ?? 'open', d.rrule ?? '-', scopeText(d), d.author, d.reason.replace(/\s+/g, ' ')]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}\n`).join('');
}
