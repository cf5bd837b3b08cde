/**
 * The computed series of the config, evaluated: members kept as samples
 * arrive (member-index.ts), and at each step boundary every computed
 * series of that step aggregated (aggregate.ts) and written to the store as
 * an ordinary sample stamped at the boundary, through the same intake as
 * the ingest routes, so it is journaled, archived (with the archive rules,
 * or the default template at its step), alarmed, listed and fetchable.
 */
import type { SampleSink, SeriesInfo, StoreSample } from '../store/index.js';
import { definitionForSeries, type ArchiveRules } from '../store/archive-rules.js';
import { snapToLadder } from '../store/step-ladder.js';
import { aggregate, type ComputedOp } from './aggregate.js';
import { parseCondition, type Condition } from './condition.js';
import type { ComputedSettings } from './config-section.js';
import { MemberIndex, type ObservedSample } from './member-index.js';
import { OwnSampleWriter, type OwnSamplesLogger } from './own-samples.js';

/** One computed series, ready to evaluate. */
interface Plan {
  readonly name: string;
  readonly op: ComputedOp;
  readonly condition: Condition | undefined;
  readonly step: number;
}

/** Where problems are told; pino's logger fits. */
export type ComputedLogger = OwnSamplesLogger;

export interface ComputedSeriesOptions {
  readonly computed: ComputedSettings;
  /** The archive rules: a computed series' default step, and its members' heartbeats. */
  readonly archives: ArchiveRules;
  readonly sink: SampleSink;
  readonly log: ComputedLogger;
}

/** The heartbeat the config gives a series' archive at `step` (the template's at an unknown cadence without). */
export function configHeartbeat(archives: ArchiveRules, series: string, step?: number): number {
  return definitionForSeries({ archives }, series, undefined, step === undefined ? undefined : snapToLadder(step)).dataSources[0].heartbeat;
}

export class ComputedSeries {
  readonly index: MemberIndex;
  private readonly plans: readonly Plan[];
  private readonly writer: OwnSampleWriter;

  /** `options.computed` must have been loaded (checked) by loadConfig. */
  constructor(options: ComputedSeriesOptions) {
    const { computed, archives } = options;
    this.writer = new OwnSampleWriter(options.sink, options.log, 'computed series');
    this.index = new MemberIndex(
      computed.map((c) => (typeof c.match === 'string' ? [c.match] : [...c.match])),
      (series, step) => configHeartbeat(archives, series, step),
    );
    this.plans = computed.map((c) => {
      const condition = c.where === undefined ? undefined : parseCondition(c.where);
      if (typeof condition === 'string') throw new Error(`computed ${c.name}: where ${condition}`);
      return { name: c.name, op: c.op, condition, step: c.step ?? definitionForSeries({ archives }, c.name).step };
    });
  }

  /** The distinct steps of the computed series, in seconds. */
  steps(): number[] {
    return [...new Set(this.plans.map((p) => p.step))];
  }

  /** The store's accepted samples; quick (a Map lookup a sample). */
  observe(samples: readonly ObservedSample[]): void {
    this.index.observe(samples);
  }

  /** The store's listing at start: archived members with their archives' heartbeats. */
  seed(listed: readonly SeriesInfo[]): void {
    this.index.seed(listed.map((s) => ({ series: s.series, lastUpdate: s.lastUpdate, lastValue: s.lastValue, heartbeat: s.definition.dataSources[0].heartbeat })));
  }

  /** The samples of the computed series of `step` at boundary `at`. */
  samplesAt(at: number, step: number): StoreSample[] {
    const out: StoreSample[] = [];
    this.plans.forEach((p, i) => {
      if (p.step === step) out.push({ series: p.name, time: at, value: aggregate(p.op, p.condition, this.index.members(i), at), interval: step });
    });
    return out;
  }

  /** Computes and writes the series of `step` at `at`; a refusal or a failure is logged (own-samples.ts), never thrown. */
  writeAt(at: number, step: number): Promise<void> {
    return this.writer.write(this.samplesAt(at, step));
  }
}
