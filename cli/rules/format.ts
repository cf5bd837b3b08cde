/** A rule trial as `ringmon rules try` prints it: one row per series, then what would have been sent in all. */
import { formatDuration, formatElapsed } from '../../lib/duration.js';

const STATUSES = ['OK', 'WARNING', 'CRITICAL', 'NODATA'] as const;
type Status = (typeof STATUSES)[number];

/** The answer of POST /api/v1/rules/try (server/routes/rule-trial.ts), the parts printed. */
export interface ApiTrial {
  readonly rule: string;
  readonly notify: readonly string[];
  readonly from: string;
  readonly until: string;
  readonly plannedDowntimes: boolean;
  readonly series: readonly {
    readonly series: string;
    readonly cf: string;
    readonly step: number;
    readonly rows: number;
    readonly transitions: number;
    readonly notices: number;
    readonly timeIn: Readonly<Record<Status, number>>;
    readonly status: Status;
  }[];
  readonly totals: {
    readonly series: number;
    readonly transitions: number;
    readonly quiet: number;
    readonly notices: Readonly<Record<'problem' | 'recovery' | 'reminder' | 'downtime-over' | 'total', number>>;
  };
  readonly skipped: readonly { readonly series: string; readonly reason: string }[];
  readonly notes: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The table, the total line ("would have sent 14 notices to ops over 7d (7 problems, 7 recoveries)"), then skipped series and notes. */
export function trialReport(trial: ApiTrial): string {
  const seconds = (Date.parse(trial.until) - Date.parse(trial.from)) / 1000;
  const lines = [`rule ${trial.rule} tried from ${trial.from} to ${trial.until}`, ''];
  if (trial.series.length > 0) {
    const rows = [
      ['SERIES', 'ROWS', 'TRANSITIONS', 'NOTICES', ...STATUSES, 'AT END'],
      ...trial.series.map((s) => [
        s.series,
        `${s.rows} × ${formatDuration(s.step)} ${s.cf}`,
        String(s.transitions),
        String(s.notices),
        ...STATUSES.map((status) => formatElapsed(s.timeIn[status])),
        s.status,
      ]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    lines.push(...rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')), '');
  }
  lines.push(totalLine(trial, formatElapsed(seconds)));
  for (const s of trial.skipped) lines.push(`skipped ${s.series}: ${s.reason}`);
  for (const note of trial.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function totalLine(trial: ApiTrial, over: string): string {
  const n = trial.totals.notices;
  const kinds = [plural(n.problem, 'problem'), plural(n.recovery, 'recovery', 'recoveries'), plural(n.reminder, 'reminder'), plural(n['downtime-over'], 'downtime-over', 'downtime-overs')];
  const to = trial.notify.length > 0 ? `to ${trial.notify.join(', ')}` : 'to no one (the rule notifies nobody)';
  const quiet = trial.totals.quiet > 0 ? `; ${plural(trial.totals.quiet, 'change')} kept quiet by planned downtimes` : '';
  const series = plural(trial.totals.series, 'series', 'series');
  return `would have sent ${plural(n.total, 'notice')} ${to} over ${over} from ${series} (${kinds.filter((k) => !k.startsWith('0 ')).join(', ') || 'none'})${quiet}`;
}
