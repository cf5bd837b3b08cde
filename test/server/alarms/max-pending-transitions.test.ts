/**
 * `alarms.maxPendingTransitions`: checked at the door (an error naming the
 * key), 10,000 when left out, and, set small in a config file, the bound
 * the engine folds at while its SQLite refuses writes (`PRAGMA
 * query_only`), counted in stats() and named in the log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine, type AlarmNotice, type NoticeSink } from '../../../server/alarms/index.js';
import { loadConfig } from '../../../server/config/index.js';
import { DATABASE_FILE, openSqlite } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';
import { memoryLog } from '../notify/helpers/fixtures.js';

const files = tempConfigDir();
const dir = mkdtempSync(join(tmpdir(), 'ringmon-max-pending-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = ['alarms:', '  rules:', '    - { name: cpu, match: "host.*.cpu", critical: "> 90", notify: [ops] }', '  recipients:', '    - { name: ops, webhook: ["http://127.0.0.1:9/hook"] }'];

describe('alarms.maxPendingTransitions in the config', () => {
  it('is 10000 when left out', () => {
    expect(loadConfig(undefined, { env: {}, cwd: files.dir }).alarms.maxPendingTransitions).toBe(10_000);
  });

  it('is refused, naming the key, below 10, above 10000000 or not a whole number', () => {
    const problem = (value: string) => problemsOf(files.write(`alarms:\n  maxPendingTransitions: ${value}\n`));
    expect(problem('5')).toEqual([{ key: 'alarms.maxPendingTransitions', message: 'must be an integer between 10 and 10000000, got 5' }]);
    expect(problem('20000000')).toEqual([{ key: 'alarms.maxPendingTransitions', message: 'must be an integer between 10 and 10000000, got 20000000' }]);
    expect(problem('12.5')).toEqual([{ key: 'alarms.maxPendingTransitions', message: 'must be an integer between 10 and 10000000, got 12.5' }]);
    expect(problem('lots')).toEqual([{ key: 'alarms.maxPendingTransitions', message: 'must be an integer between 10 and 10000000, got "lots"' }]);
  });

  it('set to 12, is where the engine folds while the database refuses writes', async () => {
    const config = loadConfig(files.write([...RULES, '  maxPendingTransitions: 12', ''].join('\n')), { env: {} });
    expect(config.alarms.maxPendingTransitions).toBe(12);
    const database = openSqlite<object>(join(dir, DATABASE_FILE));
    const downtimes = await Downtimes.open(database, { maxWindowSeconds: 86_400 });
    const told: AlarmNotice[] = [];
    const sink: NoticeSink = { notify: async (_recipients, notices) => void told.push(...notices) };
    const log = memoryLog();
    let now = 1_800_000_000;
    const engine = await AlarmEngine.open({
      file: database,
      alarms: config.alarms,
      maxPendingTransitions: config.alarms.maxPendingTransitions,
      downtimes,
      notices: sink,
      log,
      graphUrl: (s) => `http://mon.test/?s=${s}`,
      now: () => now,
      tickMs: 3_600_000,
    });
    try {
      expect(engine.stats()).toMatchObject({ limit: 12, dropped: 0, commitFailures: 0 });
      await sql.raw('PRAGMA query_only = ON').execute(database);
      // Two series flapping: 40 transitions, each in a flush of its own that fails.
      for (let i = 0; i < 10; i++) {
        for (const value of [95, 10]) {
          now += 10;
          engine.observe([{ series: 'host.a.cpu', time: now, value }, { series: 'host.b.cpu', time: now, value }]);
          await engine.settle();
          expect(engine.stats().queued, `round ${i}`).toBeLessThanOrEqual(12);
        }
      }
      const during = engine.stats();
      expect(during.commitFailures).toBe(20);
      // Each fold past 12 keeps at most one per series (both ended where they were recorded: none), the rest dropped.
      expect(during.dropped).toBeGreaterThanOrEqual(40 - 12);
      expect(during.dropped + during.queued).toBe(40);
      expect(log.lines.filter((l) => l.level === 'warn' && l.msg.includes('more than 12 transitions wait for the database'))).toHaveLength(1);
      expect(told).toEqual([]);

      await sql.raw('PRAGMA query_only = OFF').execute(database);
      now += 10;
      engine.observe([{ series: 'host.a.cpu', time: now, value: 95 }]);
      await engine.settle();
      expect(engine.stats().queued).toBe(0);
      expect(engine.get('host.a.cpu')?.status).toBe('CRITICAL');
      expect(engine.get('host.b.cpu')?.status).toBe('OK');
      // What waited within the bound is told, in turn per series and ending where each is; what folded away is not.
      expect(told.length).toBeLessThanOrEqual(12 + 1);
      const kindsOf = (series: string) => told.filter((n) => n.series === series).map((n) => n.kind);
      for (const series of ['host.a.cpu', 'host.b.cpu']) {
        const kinds = kindsOf(series);
        for (let i = 1; i < kinds.length; i++) expect(kinds[i], `${series} #${i}`).not.toBe(kinds[i - 1]);
      }
      expect(kindsOf('host.a.cpu').at(-1)).toBe('problem');
      expect(kindsOf('host.b.cpu').at(-1) ?? 'recovery').toBe('recovery');
      expect(log.lines.some((l) => /recorded again after 20 failed commits; \d+ folded away meanwhile/.test(l.msg))).toBe(true);
    } finally {
      await engine.close();
      await downtimes.close();
      await database.destroy();
    }
  });

  it('an engine opened without the option keeps 10000', async () => {
    const config = loadConfig(files.write([...RULES, ''].join('\n')), { env: {} });
    const database = openSqlite<object>(join(dir, `default-${DATABASE_FILE}`));
    const downtimes = await Downtimes.open(database, { maxWindowSeconds: 86_400 });
    const engine = await AlarmEngine.open({ file: database, alarms: config.alarms, downtimes, notices: { notify: async () => undefined }, log: memoryLog(), graphUrl: (s) => s });
    try {
      expect(engine.stats().limit).toBe(10_000);
    } finally {
      await engine.close();
      await downtimes.close();
      await database.destroy();
    }
  });
});
