/**
 * Shared by the store tests: a data directory per test with a small archive
 * rule, a real journal in it, a logger that keeps what it is told, and the
 * archive files the process holds open.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { SampleJournal } from '../../../server/journal/index.js';
import { SeriesStore, type SeriesStoreOptions, type StoreLogger } from '../../../server/store/index.js';

/** Step-aligned, so GAUGE samples at T0 + k * STEP read back exactly from the finest RRA. */
export const T0 = 1_700_000_000;
export const STEP = 10;

let root = '';
let n = 0;

/**
 * Gives the calling test file a fresh folder for testConfig's data directories, removed after its tests: call it
 * at the file's top level. A vitest worker runs many files through one copy of this module, so the module's own
 * top level runs once, not once a file.
 */
export function freshStoreRoot(): void {
  const mine = mkdtempSync(join(tmpdir(), 'ringmon-store-'));
  root = mine;
  afterAll(() => rmSync(mine, { recursive: true, force: true }));
}

/** A config whose data directory is fresh: GAUGE, step 10 s, 100 rows of AVERAGE and 50 of MAX over a minute. */
export function testConfig(overrides: Partial<ServerConfig['writeBehind']> = {}): ServerConfig {
  const base = loadConfig(undefined, { env: {}, cwd: root });
  return {
    ...base,
    dataDir: join(root, `data-${n++}`),
    writeBehind: { flushIntervalSeconds: 3600, maxJournalBytes: 256 << 20, ...overrides },
    archives: {
      rules: [],
      inferWithin: 1200,
      default: { step: STEP, type: 'GAUGE', heartbeat: 2 * STEP, rras: ['RRA:AVERAGE:0.5:1:100', 'RRA:MAX:0.5:6:50'] },
    },
  };
}

export function journalDir(config: ServerConfig): string {
  return join(config.dataDir, 'journal');
}

export interface Logged {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

export function recordingLogger(): { log: StoreLogger; lines: Logged[] } {
  const lines: Logged[] = [];
  const at = (level: Logged['level']) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** A journal in the config's data directory and a store over it. */
export async function openStore(config: ServerConfig, options: Partial<SeriesStoreOptions> = {}): Promise<{ store: SeriesStore; journal: SampleJournal }> {
  const journal = options.journal ?? (await SampleJournal.open(journalDir(config)));
  const store = await SeriesStore.open({ config, journal, ...options });
  return { store, journal };
}

/** The archive files this process has open now (Linux: /proc/self/fd). */
export function openArchiveFiles(): string[] {
  const fds = readdirSync('/proc/self/fd');
  const targets: string[] = [];
  for (const fd of fds) {
    try {
      targets.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // Closed meanwhile (the fd of readdir itself).
    }
  }
  return targets.filter((t) => t.endsWith('.rma')).sort();
}

/** Values of the finest RRA from `from` to `to` (inclusive, step-aligned), as [time, value] pairs. */
export async function readBack(store: SeriesStore, series: string, from: number, to: number): Promise<[number, number | null][]> {
  const result = await store.fetch(series, { cf: 'AVERAGE', start: from - STEP, end: to });
  return result.rows.filter(([t]) => t >= from && t <= to).map(([t, v]) => [t, v ?? null]);
}
