/**
 * `rrdtool dump`: an archive as the XML that rrdtool 1.7.2 writes (its
 * default DTD header), so that `rrdtool restore` rebuilds the same archive
 * and tools that read dumps see what they expect.
 *
 * ringmon does not keep rrdtool's per-CDP primary and secondary values
 * (scratch within one update, see format.ts POS 4); they are written as NaN,
 * which rrdtool's update overwrites before it reads them.
 */
import { ArchiveFile } from './archive-file.js';
import type { ArchiveDefinition } from './definition.js';
import type { ArchiveState } from './state.js';

/** Rows per chunk handed to `write`: bounds the size of each string built. */
const ROWS_PER_CHUNK = 1024;

/**
 * C's `%0.10e` as glibc prints it, plus rrdtool's spellings of the
 * non-finite values. JavaScript rounds exact ties away from zero where
 * glibc rounds them to even; those ties are detected and redone.
 */
export function formatRrdDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  let s = v.toExponential(10);
  if (mayBeTie(v)) {
    // 100 digits exceed any double's distance from a 12-digit decimal, so "5" then zeros is an exact tie.
    const long = v.toExponential(100);
    const mantissa = long.slice(0, long.indexOf('e'));
    const digits = mantissa.replace(/[-.]/g, '');
    if (digits[11] === '5' && /^0*$/.test(digits.slice(12)) && Number(digits[10]) % 2 === 0) {
      s = mantissa.slice(0, mantissa.indexOf('.') + 11) + long.slice(long.indexOf('e'));
    }
  }
  const e = s.indexOf('e');
  const sign = s[e + 1];
  const exponent = s.slice(e + 2).padStart(2, '0');
  const negativeZero = Object.is(v, -0) ? '-' : '';
  return `${negativeZero}${s.slice(0, e)}e${sign}${exponent}`;
}

/** A tie at 11 digits is a 12-digit decimal ending in 5; its shortest form shows it, and cheaply rules out the rest. */
function mayBeTie(v: number): boolean {
  const shortest = v.toExponential();
  const e = shortest.indexOf('e');
  return shortest[e - 1] === '5' && shortest.slice(0, e).replace(/[-.]/g, '').length === 12;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const zoneNames = new Map<number, string>();

/** strftime's "%Y-%m-%d %H:%M:%S %Z" in local time, as rrdtool's comments show times. */
export function formatLocalTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const offset = d.getTimezoneOffset();
  let zone = zoneNames.get(offset);
  if (zone === undefined) {
    // Intl is slow; a dump crosses few offsets, so the name is looked up once per offset.
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
    zone = part?.value ?? '';
    zoneNames.set(offset, zone);
  }
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return `${date} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`;
}

/** rrdtool writes version 0003 unless a feature needs a later one; DCOUNTER and DDERIVE need 0005. */
function rrdVersion(def: ArchiveDefinition): string {
  return def.dataSources.some((ds) => ds.type === 'DCOUNTER' || ds.type === 'DDERIVE') ? '0005' : '0003';
}

function header(def: ArchiveDefinition, state: ArchiveState): string {
  let out =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<!DOCTYPE rrd SYSTEM "https://oss.oetiker.ch/rrdtool/rrdtool.dtd">\n' +
    '<!-- Round Robin Database Dump -->\n' +
    '<rrd>\n' +
    `\t<version>${rrdVersion(def)}</version>\n` +
    `\t<step>${def.step}</step> <!-- Seconds -->\n` +
    `\t<lastupdate>${state.lastUpdate}</lastupdate> <!-- ${formatLocalTime(state.lastUpdate)} -->\n\n`;
  def.dataSources.forEach((ds, d) => {
    out +=
      '\t<ds>\n' +
      `\t\t<name> ${ds.name} </name>\n` +
      `\t\t<type> ${ds.type} </type>\n` +
      `\t\t<minimal_heartbeat>${ds.heartbeat}</minimal_heartbeat>\n` +
      `\t\t<min>${formatRrdDouble(ds.min)}</min>\n` +
      `\t\t<max>${formatRrdDouble(ds.max)}</max>\n` +
      '\n\t\t<!-- PDP Status -->\n' +
      `\t\t<last_ds>${escapeText(state.lastDs[d])}</last_ds>\n` +
      `\t\t<value>${formatRrdDouble(state.pdpValue[d])}</value>\n` +
      `\t\t<unknown_sec> ${Math.trunc(state.pdpUnknownSeconds[d])} </unknown_sec>\n` +
      '\t</ds>\n\n';
  });
  return out + '\t<!-- Round Robin Archives -->\n';
}

/** last_ds holds whatever text an update gave; rrdtool writes it raw, which breaks the XML for '<' or '&'. */
function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function rraHeader(def: ArchiveDefinition, state: ArchiveState, r: number): string {
  const rra = def.rras[r];
  const dsCount = def.dataSources.length;
  let out =
    '\t<rra>\n' +
    `\t\t<cf>${rra.cf}</cf>\n` +
    `\t\t<pdp_per_row>${rra.pdpPerRow}</pdp_per_row> <!-- ${rra.pdpPerRow * def.step} seconds -->\n\n` +
    '\t\t<params>\n' +
    `\t\t<xff>${formatRrdDouble(rra.xff)}</xff>\n` +
    '\t\t</params>\n' +
    '\t\t<cdp_prep>\n';
  for (let d = 0; d < dsCount; d++) {
    const i = r * dsCount + d;
    out +=
      '\t\t\t<ds>\n' +
      '\t\t\t<primary_value>NaN</primary_value>\n' +
      '\t\t\t<secondary_value>NaN</secondary_value>\n' +
      `\t\t\t<value>${formatRrdDouble(state.cdpValue[i])}</value>\n` +
      `\t\t\t<unknown_datapoints>${Math.trunc(state.cdpUnknownPdps[i])}</unknown_datapoints>\n` +
      '\t\t\t</ds>\n';
  }
  return out + '\t\t</cdp_prep>\n\t\t<database>\n';
}

/** The rows of RRA `r`, oldest first, in chunks of ROWS_PER_CHUNK rows. */
function writeDatabase(file: ArchiveFile, r: number, write: (chunk: string) => void): void {
  const { definition: def, state } = file;
  const { rows, pdpPerRow } = def.rras[r];
  const width = def.dataSources.length;
  const rowSeconds = pdpPerRow * def.step;
  const newest = state.lastUpdate - (state.lastUpdate % rowSeconds);
  const oldestSlot = (state.currentRow[r] + 1) % rows;
  for (let first = 0; first < rows; first += ROWS_PER_CHUNK) {
    const n = Math.min(ROWS_PER_CHUNK, rows - first);
    const values = file.readRows(r, oldestSlot + first, n);
    let out = '';
    for (let i = 0; i < n; i++) {
      const time = newest - (rows - 1 - (first + i)) * rowSeconds;
      out += `\t\t\t<!-- ${formatLocalTime(time)} / ${time} --> <row>`;
      for (let d = 0; d < width; d++) out += `<v>${formatRrdDouble(values[i * width + d])}</v>`;
      out += '</row>\n';
    }
    write(out);
  }
}

/**
 * Streams the archive at `path` as `rrdtool dump` XML through `write`, one
 * bounded chunk at a time. Throws CorruptArchiveError for an unreadable
 * archive and whatever `write` throws; stops at the first throw.
 */
export function dumpArchive(path: string, write: (chunk: string) => void): void {
  const file = ArchiveFile.open(path);
  try {
    const { definition: def, state } = file;
    write(header(def, state));
    for (let r = 0; r < def.rras.length; r++) {
      write(rraHeader(def, state, r));
      writeDatabase(file, r, write);
      write('\t\t</database>\n\t</rra>\n');
    }
    write('</rrd>\n');
  } finally {
    file.close();
  }
}

/** The whole dump as one string: for small archives and tests. */
export function dumpArchiveToString(path: string): string {
  const chunks: string[] = [];
  dumpArchive(path, (chunk) => chunks.push(chunk));
  return chunks.join('');
}
