/**
 * The output of a Nagios plugin, per the Monitoring Plugins Development
 * Guidelines (section "Plugin Output"):
 *
 *     TEXT OUTPUT | OPTIONAL PERFDATA
 *     LONG TEXT LINE 1
 *     LONG TEXT LINE 2 | PERFDATA LINE 2
 *     PERFDATA LINE 3
 *
 * Perfdata is space-separated `'label'=value[UOM];[warn];[crit];[min];[max]`.
 * A label with spaces is quoted with `'`, a quote inside it doubled (`''`).
 * Values are converted to base units so series of one kind compare: s/ms/us
 * to seconds, B/KB/MB/GB/TB (and KiB...) to bytes, 1024-based as the
 * Monitoring Plugins mean them; `c` marks a counter; `U` is unknown. The
 * warn/crit ranges are scaled by the same factor. Each datum's `unit` is
 * its base unit: `s`, `B`, `%`, `count` for a counter, another UOM as it is
 * written (`W`), none without one.
 */
import { MAX_UNIT_LENGTH } from '../../contract.js';


export interface PerfDatum {
  /** The label as the plugin meant it (unquoted, `''` undone). */
  readonly label: string;
  /** In base units; null for `U`. */
  readonly value: number | null;
  /** The unit as written (`ms`, `%`, `c`, ...); '' when none. */
  readonly uom: string;
  /** The unit of `value` (base units: `ms` → `s`, `KB` → `B`, `c` → `count`); absent when the plugin wrote none. */
  readonly unit?: string;
  readonly kind: 'GAUGE' | 'COUNTER';
  /** Nagios ranges in base units; absent when empty. */
  readonly warning?: string;
  readonly critical?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface PluginOutput {
  /** The first line, before any `|`, trimmed: the one-line status. */
  readonly status: string;
  readonly longText: readonly string[];
  readonly perfdata: readonly PerfDatum[];
  /** Perfdata fragments that could not be read, each with the reason. */
  readonly problems: readonly string[];
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const VALUE = new RegExp(`^(U|${NUMBER})([A-Za-z%]*)$`, 'u');
const RANGE = new RegExp(`^(@?)(?:(~|${NUMBER})?:)?(${NUMBER})?$`, 'u');

/** How a unit converts to its base unit; division keeps ms and us exact to the last digit. */
const UNITS: Readonly<Record<string, (n: number) => number>> = {
  s: (n) => n, ms: (n) => n / 1e3, us: (n) => n / 1e6,
  B: (n) => n, KB: (n) => n * 1024, MB: (n) => n * 1024 ** 2, GB: (n) => n * 1024 ** 3, TB: (n) => n * 1024 ** 4,
  KiB: (n) => n * 1024, MiB: (n) => n * 1024 ** 2, GiB: (n) => n * 1024 ** 3, TiB: (n) => n * 1024 ** 4,
};

export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.trimEnd().split(/\r?\n/u);
  const [first = '', ...rest] = lines;
  const [status, firstPerf] = splitAtBar(first);
  const longText: string[] = [];
  const perfText = [firstPerf];
  let inPerfdata = false;
  for (const line of rest) {
    if (inPerfdata) perfText.push(line);
    else if (line.includes('|')) {
      const [text, perf] = splitAtBar(line);
      if (text !== '') longText.push(text);
      perfText.push(perf);
      inPerfdata = true;
    } else longText.push(line);
  }
  return { status: status.trim(), longText, ...parsePerfdata(perfText.join(' ')) };
}

function splitAtBar(line: string): [string, string] {
  const bar = line.indexOf('|');
  return bar < 0 ? [line, ''] : [line.slice(0, bar), line.slice(bar + 1)];
}

export function parsePerfdata(text: string): { perfdata: PerfDatum[]; problems: string[] } {
  const perfdata: PerfDatum[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/u.test(text[i])) { i++; continue; }
    const start = i;
    let label = '';
    if (text[i] === "'") {
      // A quoted label ends at a quote that is not doubled.
      for (i++; i < text.length; i++) {
        if (text[i] === "'" && text[i + 1] === "'") { label += "'"; i++; }
        else if (text[i] === "'") { i++; break; }
        else label += text[i];
      }
    } else {
      while (i < text.length && text[i] !== '=' && !/\s/u.test(text[i])) label += text[i++];
    }
    let end = i;
    while (end < text.length && !/\s/u.test(text[end])) end++;
    const fragment = text.slice(start, end);
    const problem = text[i] !== '=' ? 'no "=" after the label' : readDatum(label, text.slice(i + 1, end), perfdata);
    if (problem) problems.push(`${JSON.stringify(fragment)}: ${problem}`);
    i = end;
  }
  return { perfdata, problems };
}

/** The base unit of each UOM UNITS converts, and of a counter. */
const BASE_UNIT: Readonly<Record<string, string>> = {
  s: 's', ms: 's', us: 's',
  B: 'B', KB: 'B', MB: 'B', GB: 'B', TB: 'B', KiB: 'B', MiB: 'B', GiB: 'B', TiB: 'B',
  c: 'count',
};

/** The unit of a value written with `uom` (letters and %, so one line); a UOM longer than a unit may be is left out. */
function unitOf(uom: string): string | undefined {
  const unit = BASE_UNIT[uom] ?? uom;
  return unit === '' || unit.length > MAX_UNIT_LENGTH ? undefined : unit;
}

/** Appends the datum to `out`, or returns why it cannot be read. */
function readDatum(label: string, body: string, out: PerfDatum[]): string | undefined {
  if (label === '') return 'empty label';
  const [valueText, warn = '', crit = '', min = '', max = ''] = body.split(';');
  const m = VALUE.exec(valueText);
  if (!m) return `value ${JSON.stringify(valueText)} is not a number, U, or a number with a unit`;
  const uom = m[2];
  const convert = UNITS[uom] ?? ((n: number) => n);
  const warning = scaleRange(warn, convert);
  const critical = scaleRange(crit, convert);
  if (warning === null || critical === null) return `threshold ${JSON.stringify(warning === null ? warn : crit)} is not a Nagios range`;
  const minValue = min === '' ? undefined : convert(Number(min));
  const maxValue = max === '' ? undefined : convert(Number(max));
  if ([minValue, maxValue].some((v) => v !== undefined && !Number.isFinite(v))) return 'min or max is not a finite number';
  const value = m[1] === 'U' ? null : convert(Number(m[1]));
  if (value !== null && !Number.isFinite(value)) return 'value is out of range';
  const unit = unitOf(uom);
  out.push({
    label,
    value,
    uom,
    ...(unit === undefined ? {} : { unit }),
    kind: uom === 'c' ? 'COUNTER' : 'GAUGE',
    ...(warning === undefined ? {} : { warning }),
    ...(critical === undefined ? {} : { critical }),
    ...(minValue === undefined ? {} : { min: minValue }),
    ...(maxValue === undefined ? {} : { max: maxValue }),
  });
  return undefined;
}

/**
 * A Nagios range (`10`, `10:`, `~:10`, `10:20`, `@10:20`) with its numbers
 * converted; undefined for an empty range, null for one that is not a range.
 */
export function scaleRange(range: string, convert: (n: number) => number): string | undefined | null {
  if (range === '') return undefined;
  const m = RANGE.exec(range);
  if (!m || (m[2] === undefined && m[3] === undefined)) return null;
  const [, at, start, end] = m;
  const [lo, hi] = [start, end].map((t) => (t === undefined || t === '~' ? t : convert(Number(t))));
  if ([lo, hi].some((v) => typeof v === 'number' && !Number.isFinite(v))) return null;
  return `${at}${lo === undefined ? '' : `${lo}:`}${hi ?? ''}`;
}
