/**
 * ringmon's one byte-size grammar: how the server config and agent.yaml say
 * how big something may grow (`maxJournalBytes: 256MiB`, `spool.maxBytes:
 * 64MB`). docs/configuration.md ("Durations and sizes") documents it.
 *
 *   size := number [unit]       a plain number is bytes; space before the unit allowed
 *
 * Units, in any letter case: B; k KB M MB G GB T TB are powers of 1000 (SI,
 * as disks and networks count); KiB MiB GiB TiB are powers of 1024 (IEC).
 * agent.yaml has read them this way from the start, and a unit names its
 * base, so `10k` is 10000 bytes and `10KiB` 10240. Fractions are allowed and
 * rounded to whole bytes (`1.5MiB` → 1572864).
 *
 * Pure: imports nothing.
 */

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  tib: 2 ** 40,
};

/** How a message says what a size may look like. */
export const BYTE_SIZE_FORMS = 'bytes, or a number with a unit: 64MB, 512KiB (k M G T: powers of 1000; KiB MiB GiB TiB: of 1024)';

/** The whole bytes `text` stands for, or the problem with it as a sentence quoting the text. */
export function readByteSize(text: string): number | string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!match) return `'${text}' is not a size (${BYTE_SIZE_FORMS})`;
  const unit = UNITS[match[2].toLowerCase()];
  if (unit === undefined) return `'${text}' has an unknown unit '${match[2]}' (${BYTE_SIZE_FORMS})`;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : `'${text}' is out of range`;
}

/** The bytes `value` stands for: a number as it is (when finite), text by the grammar; undefined when it is neither. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const bytes = readByteSize(value);
  return typeof bytes === 'number' ? bytes : undefined;
}

const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/**
 * `bytes` in the largest binary unit that divides it evenly, else in bytes:
 * 65536 → `64KiB`, 2 ** 30 → `1GiB`, 1000 → `1000B`. Reads back exactly.
 */
export function formatByteSize(bytes: number): string {
  const found = bytes === 0 ? undefined : FORMAT_UNITS.find(([, size]) => bytes % size === 0);
  return found === undefined ? `${bytes}B` : `${bytes / found[1]}${found[0]}`;
}
