/**
 * Runs each configured report when its cron expression says, in its time
 * zone, and on demand:
 *
 *     const reports = startReports({ reports: config.reports, recipients, dataDir, alarms, deliver, log });
 *     ...
 *     await reports.stop();   // no new runs; resolves once a run in progress has finished
 *
 * A run reads the alarm states, builds the report, writes the CSV under
 * `<dataDir>/reports/` and only then delivers, so the audit copy exists even
 * when delivery fails. A failure is logged with the report's name and does
 * not stop later runs; a turn that comes while the report's previous run is
 * still going is skipped and logged, never stacked.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import { checkReportRecipients } from './config-section.js';
import { archiveReport } from './report-archive.js';
import { buildReport } from './report-builder.js';
import type { AlarmEntry, BuiltReport, Report, ReportDefinition } from './report-model.js';

/**
 * Hands a report to the recipients named in its `notify` (the durable
 * notification outbox). Resolves once the report is accepted for delivery;
 * a rejection is logged as the run's failure and not retried here.
 */
export type DeliverReport = (recipients: readonly string[], report: Report) => Promise<void>;

/** The current alarm state of every alarmed series; may throw, which fails the run. */
export type AlarmStates = () => readonly AlarmEntry[] | Promise<readonly AlarmEntry[]>;

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
  readonly deliver: DeliverReport;
  readonly log: ReportLogger;
  /** The clock, Unix seconds; default the system's. */
  readonly now?: () => number;
}

/** A finished run: the report and where its CSV was archived. */
export interface ReportRun extends BuiltReport {
  readonly file: string;
}

/** The running reports. */
export interface Reports {
  /** Runs a report at once, as its schedule would; rejects with ReportRunError when any step fails (after logging it). */
  runNow(name: string): Promise<ReportRun>;
  /** Stops the schedules and waits for runs in progress; later runNow calls reject. Idempotent. */
  stop(): Promise<void>;
}

export type ReportStep = 'alarms' | 'build' | 'archive' | 'deliver';

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

  const run = async (definition: ReportDefinition): Promise<ReportRun> => {
    const at = now();
    let entries: readonly AlarmEntry[];
    try {
      entries = await options.alarms();
    } catch (error) {
      throw failed(definition, 'alarms', error);
    }
    let built: BuiltReport;
    try {
      built = buildReport(definition, entries, at);
    } catch (error) {
      throw failed(definition, 'build', error);
    }
    // Deliver even when archiving fails: the people waiting for the report need it more than the audit copy.
    const file = await archiveReport(options.dataDir, definition.name, at, built.csv).catch((error: unknown) => failed(definition, 'archive', error));
    try {
      await options.deliver(definition.notify, built.report);
    } catch (error) {
      throw failed(definition, 'deliver', error);
    }
    if (file instanceof ReportRunError) throw file;
    log.info({ report: definition.name, file, recipients: definition.notify }, `report ${definition.name}: ${built.report.subject}`);
    return { ...built, file };
  };

  const track = (definition: ReportDefinition): Promise<ReportRun> => {
    const { name } = definition;
    busy.set(name, (busy.get(name) ?? 0) + 1);
    const running = run(definition);
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

  for (const definition of options.reports) {
    const task = createTask(definition.cron, () => turn(definition), {
      name: `ringmon:report:${definition.name}`,
      timezone: definition.timezone,
      // A turn missed while the process slept is not made up: the next one reports the state of then.
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
    runNow(name) {
      if (stopping !== undefined) return Promise.reject(new Error(`report ${name}: the reports are stopped`));
      const definition = options.reports.find((d) => d.name === name);
      if (definition === undefined) return Promise.reject(new Error(`no report named '${name}' (configured: ${options.reports.map((d) => d.name).join(', ') || 'none'})`));
      return track(definition);
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
