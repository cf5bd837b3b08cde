/**
 * startReports with real node-cron schedules (six fields: every second):
 * a turn archives then delivers; a failing delivery is logged with the
 * report's name, keeps its file and does not stop the next turn; stop()
 * ends the schedule and waits for the run in progress.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../server/config/index.js';
import { ReportRunError, startReports, type AlarmEntry, type Report, type Reports, type ReportsOptions } from '../../../server/reports/index.js';
import { sleep } from '../../helpers/wait.js';
import { definition, entry, RUN_AT } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-report-scheduler-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const EVERY_SECOND = '* * * * * *';
const STATES: AlarmEntry[] = [entry('s1.web01.cpu.load', 'CRITICAL'), entry('s1.web01.ping.rtt', 'OK')];

interface Logged {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** Options with a fresh data directory, a recording logger and a delivery that records; `started` is stopped after each test. */
function setUp(changes: Partial<ReportsOptions> = {}) {
  const logged: Logged[] = [];
  const record = (level: Logged['level']) => (fields: object, message: string) => logged.push({ level, fields: fields as Record<string, unknown>, message });
  const delivered: { recipients: readonly string[]; report: Report }[] = [];
  const options: ReportsOptions = {
    reports: [definition({ cron: EVERY_SECOND })],
    recipients: ['ops', 'boss'],
    dataDir: mkdtempSync(join(root, `data-${++n}-`)),
    alarms: () => STATES,
    deliver: async (recipients, report) => {
      delivered.push({ recipients, report });
    },
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    ...changes,
  };
  const reports = startReports(options);
  started.push(reports);
  return { options, reports, logged, delivered };
}

const started: Reports[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

describe('a scheduled report', () => {
  it('runs on its cron schedule: writes the CSV, then delivers it to its recipients; stop() ends the schedule', async () => {
    const order: string[] = [];
    const { options, reports, delivered } = setUp({
      reports: [definition({ cron: EVERY_SECOND, timezone: 'Europe/Berlin', notify: ['ops', 'boss'] })],
      deliver: async (recipients, report) => {
        const file = join(options.dataDir, 'reports', report.attachments[0].filename);
        order.push(existsSync(file) ? 'delivered after the file' : 'delivered before the file');
        delivered.push({ recipients, report });
      },
    });
    await vi.waitFor(() => expect(delivered.length).toBeGreaterThan(0), { timeout: 3000, interval: 50 });
    const [{ recipients, report }] = delivered;
    expect(recipients).toEqual(['ops', 'boss']);
    expect(report.subject).toBe('[ringmon] daily: 1 not OK in 1 group');
    expect(order[0]).toBe('delivered after the file');
    const file = join(options.dataDir, 'reports', report.attachments[0].filename);
    expect(readFileSync(file, 'utf8')).toBe(report.attachments[0].content);

    await reports.stop();
    const after = delivered.length;
    await sleep(1500);
    expect(delivered.length).toBe(after);
  });

  it('logs a failed delivery with the report name, keeps the file, and runs again at the next turn', async () => {
    let calls = 0;
    const { options, logged } = setUp({
      deliver: async (_recipients, report) => {
        calls += 1;
        if (calls === 1) {
          expect(existsSync(join(options.dataDir, 'reports', report.attachments[0].filename))).toBe(true);
          throw new Error('mail relay down');
        }
      },
    });
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 4000, interval: 50 });
    const failure = logged.find((l) => l.level === 'error');
    expect(failure).toMatchObject({ fields: { report: 'daily', step: 'deliver' }, message: 'report daily: deliver failed: mail relay down' });
    // The second run's info line follows its delivery: wait for it, as for the call.
    await vi.waitFor(() => expect(logged.some((l) => l.level === 'info' && l.fields.report === 'daily')).toBe(true), { timeout: 4000, interval: 50 });
  });

  it('skips a turn while its previous run is still going, and stop() waits for that run', async () => {
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const { reports, logged } = setUp({
      deliver: async () => {
        calls += 1;
        await blocked;
      },
    });
    await vi.waitFor(() => expect(logged.some((l) => l.level === 'warn' && /skipped a turn/.test(l.message))).toBe(true), { timeout: 4000, interval: 50 });
    expect(calls).toBe(1);
    let stopped = false;
    const stopping = reports.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('runNow', () => {
  const DAILY = [definition({ cron: '30 0 * * *' })];

  it('runs a report at once, at the clock it is given, and says where the CSV went', async () => {
    const at = Date.UTC(2026, 10, 24, 0, 30, 12) / 1000;
    const { options, reports, delivered } = setUp({ reports: DAILY, now: () => at });
    const run = await reports.runNow('daily');
    expect(run.file).toBe(join(options.dataDir, 'reports', 'daily-2026-11-24T0030Z.csv'));
    expect(run.at).toBe(at);
    expect(delivered.map((d) => d.report)).toEqual([run.report]);
  });

  it('rejects naming the step when delivery fails, the file written all the same', async () => {
    const { options, reports, logged } = setUp({ reports: DAILY, now: () => RUN_AT, deliver: () => Promise.reject(new Error('421 try later')) });
    const error = await reports.runNow('daily').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportRunError);
    expect(error).toMatchObject({ report: 'daily', step: 'deliver', message: 'report daily: deliver failed: 421 try later' });
    expect(readFileSync(join(options.dataDir, 'reports', 'daily-2026-11-24T0030Z.csv'), 'utf8')).toMatch(/^group,series,.*\r\ns1\.web01,s1\.web01\.cpu\.load,CRITICAL,/);
    expect(logged.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('still delivers when the archive cannot be written, then rejects naming the archive', async () => {
    const dataDir = mkdtempSync(join(root, 'blocked-'));
    writeFileSync(join(dataDir, 'reports'), 'not a folder');
    const { reports, delivered, logged } = setUp({ reports: DAILY, dataDir });
    await expect(reports.runNow('daily')).rejects.toMatchObject({ step: 'archive', report: 'daily' });
    expect(delivered).toHaveLength(1);
    expect(logged.find((l) => l.level === 'error')?.fields).toMatchObject({ report: 'daily', step: 'archive' });
  });

  it('delivers nothing when the alarm states cannot be read', async () => {
    const { reports, delivered } = setUp({
      reports: DAILY,
      alarms: () => {
        throw new Error('evaluator not ready');
      },
    });
    await expect(reports.runNow('daily')).rejects.toMatchObject({ step: 'alarms', message: 'report daily: alarms failed: evaluator not ready' });
    expect(delivered).toEqual([]);
  });

  it('logs and rejects naming the build when the report cannot be built', async () => {
    const { reports, delivered, logged } = setUp({ reports: [definition({ cron: '30 0 * * *', match: 's1.[ab]' })] });
    await expect(reports.runNow('daily')).rejects.toMatchObject({ step: 'build', report: 'daily' });
    expect(logged.find((l) => l.level === 'error')?.message).toMatch(/^report daily: build failed: series pattern 's1\.\[ab\]'/);
    expect(delivered).toEqual([]);
  });

  it('refuses an unknown report, and any report once stopped', async () => {
    const { reports } = setUp({ reports: DAILY });
    await expect(reports.runNow('weekly')).rejects.toThrow("no report named 'weekly' (configured: daily)");
    await reports.stop();
    await expect(reports.runNow('daily')).rejects.toThrow('report daily: the reports are stopped');
  });
});

describe('starting', () => {
  it('refuses a report that notifies someone alarms.recipients lacks, naming the key', () => {
    const reports = [definition({ name: 'a' }), definition({ name: 'b', notify: ['ops', 'nobody'] })];
    let error: unknown;
    try {
      setUp({ reports, recipients: ['ops'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ key: 'reports[1].notify[1]', message: "'nobody' is not in alarms.recipients" }]);
  });
});

describe('the window of a run', () => {
  const DAILY = [definition({ cron: '30 0 * * *' })];

  it('covers the last 24 h the first time, then the time since the last delivered run, kept on disk across a restart', async () => {
    let clock = RUN_AT;
    const first = setUp({ reports: DAILY, now: () => clock });
    expect((await first.reports.runNow('daily')).window).toEqual({ from: RUN_AT - 86400, to: RUN_AT });
    clock = RUN_AT + 3600;
    expect((await first.reports.runNow('daily')).window).toEqual({ from: RUN_AT, to: RUN_AT + 3600 });
    await first.reports.stop();
    clock = RUN_AT + 86400;
    const again = setUp({ reports: DAILY, now: () => clock, dataDir: first.options.dataDir });
    expect((await again.reports.runNow('daily')).window).toEqual({ from: RUN_AT + 3600, to: RUN_AT + 86400 });
    expect(await again.reports.lastEnd('daily')).toBe(RUN_AT + 86400);
    expect(JSON.parse(readFileSync(join(first.options.dataDir, 'reports', 'last-runs.json'), 'utf8'))).toEqual({ version: 1, ends: { daily: RUN_AT + 86400 } });
  });

  it('leaves the mark alone for a range asked for, and when delivery fails', async () => {
    let fail = false;
    const { reports } = setUp({
      reports: DAILY,
      now: () => RUN_AT,
      deliver: async () => {
        if (fail) throw new Error('outbox full');
      },
    });
    await reports.runNow('daily', { from: RUN_AT - 600, to: RUN_AT - 300 });
    expect(await reports.lastEnd('daily')).toBeUndefined();
    fail = true;
    await expect(reports.runNow('daily')).rejects.toMatchObject({ step: 'deliver' });
    expect(await reports.lastEnd('daily')).toBeUndefined();
  });

  it('starts from the default window, with a warning, when the marks file is not one', async () => {
    const dataDir = mkdtempSync(join(root, 'marks-'));
    mkdirSync(join(dataDir, 'reports'));
    writeFileSync(join(dataDir, 'reports', 'last-runs.json'), '{"version":1,"ends":{"daily":"yesterday"}}');
    const { reports, logged } = setUp({ reports: DAILY, dataDir, now: () => RUN_AT });
    expect((await reports.runNow('daily')).window.from).toBe(RUN_AT - 86400);
    expect(logged.find((l) => l.level === 'warn')?.message).toMatch(/last-runs\.json is not a report marks file/);
  });

  it('reads the history of the window, so a series bad and recovered before the run is listed', async () => {
    const history: ReportsOptions['history'] = async ({ from }) =>
      [
        { id: 2, series: 's1.web01.cpu.load', rule: 'load', from: 'CRITICAL' as const, to: 'OK' as const, at: RUN_AT - 7200, value: 1, threshold: null },
        { id: 1, series: 's1.web01.cpu.load', rule: 'load', from: 'OK' as const, to: 'CRITICAL' as const, at: RUN_AT - 9000, value: 9, threshold: '> 5' },
      ].filter((c) => c.at >= from);
    const { reports } = setUp({ reports: DAILY, now: () => RUN_AT, alarms: () => [entry('s1.web01.cpu.load', 'OK', { since: RUN_AT - 7200 })], history });
    const run = await reports.runNow('daily');
    expect(run.groups.flatMap((g) => g.lines.map((l) => [l.series, l.worst, l.notOkSeconds, l.end.status]))).toEqual([['s1.web01.cpu.load', 'CRITICAL', 1800, 'OK']]);
    expect(readFileSync(run.html, 'utf8')).toBe(run.report.html);
  });
});
