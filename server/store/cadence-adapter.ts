/**
 * `archives.adapt`: the opt-in adaptation of archives to their series'
 * cadence. On its own timer (unref'd), the store looks for series whose
 * drift (drift.ts) has lasted `archives.adapt.after`, and reshapes each
 * archive, keeping its history, to the built-in template at the step of the
 * observed interval (snapToLadder), as the admin call would (reshaper.ts).
 *
 * Only archives ringmon chose are touched: none that an `archives` rule or a
 * configured `archives.default` decides (the operator's word wins), and none
 * whose RRAs are not the template's at its step (made by an earlier rule or
 * reshaped by hand). A series is looked at most once per
 * `archives.adapt.atMostEvery`, whatever came of it, so a series whose
 * cadence keeps changing is not rewritten again and again. Each reshape is
 * logged at warn with the archive before and after, so the operator sees
 * every file ringmon rewrote on its own.
 */
import { configDecides } from './archive-rules.js';
import type { StoreConfig } from './config-section.js';
import type { ReshapeOutcome } from './reshape-series.js';
import { isTemplateArchive, templateTarget, type ReshapeTarget } from './reshape-target.js';
import type { SeriesTable } from './series-table.js';
import { snapToLadder } from './step-ladder.js';
import type { StoreLogger } from './store-stats.js';

/** Reshapes one series, as Reshaper.reshapeOne. */
export type ReshapeOne = (series: string, target: ReshapeTarget) => Promise<ReshapeOutcome>;

/** How often the timer looks, at most (and at least once a second). */
const MOST_SECONDS_BETWEEN_LOOKS = 60;

export class CadenceAdapter {
  private timer: NodeJS.Timeout | undefined;
  private looking = false;
  private stopped = false;
  /** When (Unix s) each series was last looked at. */
  private readonly lastLook = new Map<string, number>();

  constructor(
    private readonly table: SeriesTable,
    private readonly config: StoreConfig,
    private readonly reshapeOne: ReshapeOne,
    private readonly log: StoreLogger,
    /** Unix seconds. */
    private readonly now: () => number,
  ) {}

  /** Starts the timer when `archives.adapt.enabled`; otherwise does nothing. */
  start(): void {
    const adapt = this.config.archives.adapt;
    if (adapt?.enabled !== true) return;
    const seconds = Math.min(MOST_SECONDS_BETWEEN_LOOKS, Math.max(1, adapt.after / 4));
    this.timer = setInterval(() => void this.look(), seconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer; a look under way ends after the series it is reshaping. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** One pass over the drifting series; never rejects. */
  async look(): Promise<void> {
    const adapt = this.config.archives.adapt;
    if (this.looking || adapt === undefined) return;
    this.looking = true;
    try {
      for (const entry of [...this.table.all()]) {
        if (this.stopped) return;
        const drift = entry.drift;
        const now = this.now();
        if (drift === undefined || now - drift.since < adapt.after) continue;
        if (now - (this.lastLook.get(entry.name) ?? -Infinity) < adapt.atMostEvery) continue;
        this.lastLook.set(entry.name, now);
        if (configDecides(this.config, entry.name)) continue;
        const step = snapToLadder(drift.observedInterval);
        const toTemplate = templateTarget(step);
        const target: ReshapeTarget = (old) => (isTemplateArchive(old) ? toTemplate(old) : { skip: 'its archive was not made by the built-in template (an archives rule or a reshape chose its RRAs)' });
        const outcome = await this.reshapeOne(entry.name, target);
        this.report(entry.name, drift.observedInterval, outcome);
      }
    } catch (e) {
      this.log.error({ err: e }, 'series store: archives.adapt: a look at the drifting series failed');
    } finally {
      this.looking = false;
    }
  }

  private report(series: string, observedInterval: number, outcome: ReshapeOutcome): void {
    const { before, after, status, reason, rowsKept } = outcome;
    const fields = { series, observedIntervalSeconds: observedInterval, before, after, rowsKept, reason };
    if (status === 'reshaped') {
      this.log.warn(fields, `series store: ${series}: archives.adapt reshaped its archive to its cadence (samples every ${observedInterval} s): step ${before?.step} s -> ${after?.step} s, heartbeat ${before?.heartbeat} s -> ${after?.heartbeat} s, ${rowsKept} rows of history kept`);
    } else if (status === 'failed') {
      this.log.warn(fields, `series store: ${series}: archives.adapt could not reshape its archive: ${reason}`);
    } else if (status === 'skipped') {
      this.log.info(fields, `series store: ${series}: archives.adapt left its archive as it is: ${reason}`);
    }
  }
}
