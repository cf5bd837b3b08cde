/**
 * Runs each configured report when its cron expression says, in its time
 * zone, and on demand:
 *
 *     const reports = startReports({ reports: config.reports, recipients, dataDir, alarms, history, plannedDowntimes, deliver, log });
 *     ...
 *     await reports.stop();   // no new runs; resolves once a run in progress has finished
 *
 * A run covers a window: since the end of the report's last delivered run
 * (run-marks.ts, kept across restarts), or the last FIRST_WINDOW_SECONDS for
 * a report's first run; or a range asked for (runNow), which leaves the mark
 * alone. It reads the alarm states and the history of the window, builds the
 * report, draws its heatmaps (report-heatmaps.ts), writes the CSV, HTML and
 * PNGs under `<dataDir>/reports/` and only then delivers, so the audit copies exist even when delivery fails; then copies
 * older than the report's `keep` are removed (also at start). A failure is
 * logged with the report's name and does not stop later runs; a turn that
 * comes while the report's previous run is still going is skipped and
 * logged, never stacked.
 */
import { join } from 'node:path';
import { createTask, type ScheduledTask } from 'node-cron';
import { checkReportHeatmaps, checkReportRecipients } from './config-section.js';
import type { PlannedDowntime, Window } from './period-model.js';
import { readPeriod, type ReadHistory } from './period-input.js';
import type { SweptSeries } from './period-sweep.js';
import { archiveReport, pruneRuns } from './report-archive.js';
import { drawReportHeatmaps, embedHeatmaps, type ReportHeatmapSource } from './report-heatmaps.js';
import { buildReport } from './report-builder.js';
import type { AlarmEntry, BuiltReport, Report, ReportDefinition } from './report-model.js';
import { archiveFileName, REPORTS_DIR } from './report-name.js';
import { RunMarks } from './run-marks.js';

/** The window of a report's first run, when no earlier run left a mark: a day, as a daily review needs. */
export const FIRST_WINDOW_SECONDS = 86_400;
/** The longest window a run covers: a year. A report whose last run is older starts a year back. */
export const MAX_WINDOW_SECONDS = 366 * 86_400;

/**
 * Hands a report to the recipients named in its `notify` (the durable
 * notification outbox). Resolves once the report is accepted for delivery;
 * a rejection is logged as the run's failure and not retried here.
 */
export type DeliverReport = (recipients: readonly string[], report: Report) => Promise<void>;

/** The current alarm state of every alarmed series; may throw, which fails the run. */
export type AlarmStates = () => readonly AlarmEntry[] | Promise<readonly AlarmEntry[]>;

/** The planned downtimes with a window overlapping `window` (cancelled ones left out); may throw, which fails the run. */
export type PlannedDowntimes = (window: Window) => Promise<readonly PlannedDowntime[]>;

/** The part of pino the reports use. */
export interface ReportLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ReportsOptions {
  readonly reports: readonly ReportDefinition[];
  /** The names in `alarms.recipients`; a report naming another is refused at start with ConfigError. */
  readonly recipients: readonly string[];
  readonly dataDir: string;
  readonly alarms: AlarmStates;
  /** The alarm history (server/alarms `history`); without it, each series is taken to have been in its current state all the window. */
  readonly history?: ReadHistory;
  /** Without it, no downtime is taken out of availability. */
  readonly plannedDowntimes?: PlannedDowntimes;
  readonly deliver: DeliverReport;
  /** The heatmap views a report may embed (`reports[].heatmaps`); without it, a report naming one is refused at start with ConfigError. */
  readonly heatmaps?: ReportHeatmapSource;
  readonly log: ReportLogger;
  /** The clock, Unix seconds; default the system's. */
  readonly now?: () => number;
}

/** A finished run: the report and where its CSV and HTML were archived. */
export interface ReportRun extends BuiltReport {
  readonly file: string;
  readonly html: string;
}

/** The running reports. */
export interface Reports {
  /**
   * Runs a report at once: over `window` when given (the report's mark left
   * alone), else as its schedule would, since its last run. Rejects with
   * ReportRunError when any step fails (after logging it).
   */
  runNow(name: string, window?: Window): Promise<ReportRun>;
  /** Where the report's last delivered scheduled period ended; undefined before its first. */
  lastEnd(name: string): Promise<number | undefined>;
  /** Stops the schedules and waits for runs in progress; later runNow calls reject. Idempotent. */
  stop(): Promise<void>;
}

export type ReportStep = 'alarms' | 'history' | 'downtimes' | 'build' | 'archive' | 'deliver';

/** A step of a report run failed; `cause` is what it threw. */
export class ReportRunError extends Error {
  override name = 'ReportRunError';
  constructor(
    readonly report: string,
    readonly step: ReportStep,
    cause: unknown,
  ) {
    super(`report ${report}: ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Schedules every report, as loadConfig validated them (cron expressions,
 * time zones, patterns). Throws ConfigError when a report notifies a
 * recipient `alarms.recipients` lacks, before anything is scheduled.
 */
export function startReports(options: ReportsOptions): Reports {
  checkReportRecipients(options.reports, options.recipients);
  checkReportHeatmaps(options.reports, options.heatmaps?.views ?? []);
  const { log } = options;
  const now = options.now ?? ((): number => Date.now() / 1000);
  /** Runs not yet settled, for stop(); and how many of each report, for skipping a turn. */
  const runs = new Set<Promise<void>>();
  const busy = new Map<string, number>();
  const tasks: ScheduledTask[] = [];
  let stopping: Promise<void> | undefined;

  const failed = (definition: ReportDefinition, step: ReportStep, error: unknown): ReportRunError => {
    const failure = new ReportRunError(definition.name, step, error);
    log.error({ report: definition.name, step, err: error }, failure.message);
    return failure;
  };

  const marksOpen = RunMarks.open(options.dataDir).then(({ marks, problem }) => {
    if (problem !== undefined) log.warn({}, `reports: ${problem}`);
    return marks;
  });

  /** The scheduled window: from the last mark (at most a year back), or the first run's default. */
  const windowSince = (marks: RunMarks, name: string, at: number): Window => {
    const last = marks.endOf(name);
    const from = last === undefined ? at - FIRST_WINDOW_SECONDS : Math.max(last, at - MAX_WINDOW_SECONDS);
    if (last !== undefined && last < from) log.warn({ report: name }, `report ${name}: its last run ended ${Math.round((at - last) / 86_400)} days ago; this one covers the last year`);
    return { from: Math.min(from, at), to: at };
  };

  const step = async <T>(definition: ReportDefinition, name: ReportStep, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failed(definition, name, error);
    }
  };

  const run = async (definition: ReportDefinition, asked?: Window): Promise<ReportRun> => {
    const at = now();
    const marks = await marksOpen;
    const window = asked ?? windowSince(marks, definition.name, at);
    const entries = await step(definition, 'alarms', options.alarms);
    const endsNow = window.to >= at;
    const { history } = options;
    const series: readonly SweptSeries[] = await step(definition, 'history', () => readPeriod(window, entries, endsNow, history ?? (async () => [])));
    const planned = await step(definition, 'downtimes', () => options.plannedDowntimes?.(window) ?? []);
    const built: BuiltReport = await step(definition, 'build', () => buildReport(definition, { window, series, planned }, at));
    // Over the view's own range ending where the window ends; one that cannot be drawn is left out, not the run's failure.
    const heatmaps = await drawReportHeatmaps(definition.name, definition.heatmaps ?? [], options.heatmaps, window.to, log);
    const { mail, archivedHtml, images } = embedHeatmaps(built.report, definition.name, at, heatmaps);
    // Deliver even when archiving fails: the people waiting for the report need it more than the audit copy.
    const file = await archiveReport(options.dataDir, definition.name, at, built.csv, archivedHtml, images).catch((error: unknown) => failed(definition, 'archive', error));
    await step(definition, 'deliver', () => options.deliver(definition.notify, mail));
    if (asked === undefined) {
      // Delivered: the next scheduled run starts here. Not marked, the next one covers this window again.
      await marks.set(definition.name, window.to).catch((error: unknown) => log.error({ report: definition.name, err: error }, `report ${definition.name}: could not keep where this run ended; the next run covers its window again`));
    }
    await prune(definition, at);
    if (file instanceof ReportRunError) throw file;
    log.info({ report: definition.name, file, recipients: definition.notify, from: window.from, to: window.to }, `report ${definition.name}: ${built.report.subject}`);
    return { ...built, report: mail, file, html: join(options.dataDir, REPORTS_DIR, archiveFileName(definition.name, at, 'html')) };
  };

  /** Removes the report's copies older than its `keep`; a failure is logged, never the run's. */
  const prune = async (definition: ReportDefinition, at: number): Promise<void> => {
    try {
      const removed = await pruneRuns(options.dataDir, definition.name, definition.keep, at);
      if (removed.length > 0) log.info({ report: definition.name, removed }, `report ${definition.name}: removed ${removed.length} archived files older than its keep`);
    } catch (error) {
      log.warn({ report: definition.name, err: error }, `report ${definition.name}: could not remove archived files older than its keep: ${String(error)}`);
    }
  };

  const track = (definition: ReportDefinition, window?: Window): Promise<ReportRun> => {
    const { name } = definition;
    busy.set(name, (busy.get(name) ?? 0) + 1);
    const running = run(definition, window);
    const settled: Promise<void> = running.then(
      () => {},
      () => {},
    ).finally(() => {
      runs.delete(settled);
      const left = (busy.get(name) ?? 1) - 1;
      if (left === 0) busy.delete(name);
      else busy.set(name, left);
    });
    runs.add(settled);
    return running;
  };

  const turn = (definition: ReportDefinition): void => {
    if (stopping !== undefined) return;
    if (busy.has(definition.name)) {
      log.warn({ report: definition.name }, `report ${definition.name}: skipped a turn, the previous run is still going`);
      return;
    }
    // A scheduled turn has no caller to tell: its failures are logged, each step's inside the run.
    track(definition).catch((error: unknown) => {
      if (!(error instanceof ReportRunError)) log.error({ report: definition.name, err: error }, `report ${definition.name}: ${String(error)}`);
    });
  };

  // Copies past their keep go at start too, not only at the next run.
  for (const definition of options.reports) runs.add(prune(definition, now()));
  for (const definition of options.reports) {
    const task = createTask(definition.cron, () => turn(definition), {
      name: `ringmon:report:${definition.name}`,
      timezone: definition.timezone,
      // A turn missed while the process slept is not made up: the next one covers its period too (run-marks.ts).
      suppressMissedWarning: true,
      logger: {
        info: () => {},
        debug: () => {},
        warn: (message) => log.warn({ report: definition.name }, message),
        error: (message) => log.error({ report: definition.name }, String(message)),
      },
    });
    tasks.push(task);
    void task.start();
  }

  return {
    runNow(name, window) {
      if (stopping !== undefined) return Promise.reject(new Error(`report ${name}: the reports are stopped`));
      const definition = options.reports.find((d) => d.name === name);
      if (definition === undefined) return Promise.reject(new Error(`no report named '${name}' (configured: ${options.reports.map((d) => d.name).join(', ') || 'none'})`));
      return track(definition, window);
    },
    async lastEnd(name) {
      return (await marksOpen).endOf(name);
    },
    stop() {
      stopping ??= (async () => {
        await Promise.allSettled(tasks.map((task) => task.destroy()));
        await Promise.all([...runs]);
      })();
      return stopping;
    },
  };
}
