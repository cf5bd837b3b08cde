/**
 * The store's two sections.
 *
 * `writeBehind`: samples are acknowledged once they are in the journal and
 * written to their archives in batches; these bound how long and how much
 * may wait.
 *
 * `archives`: the archive definition a new series gets. `rules` are tried in
 * order and the first whose `match` pattern fits the series name decides;
 * `default`, when configured, decides for the rest. A rule gives its RRAs
 * either as rrdtool RRA strings (`rras`) or as Graphite retentions
 * (`retentions` + `cfs`); archive-rules.ts turns either into an
 * ArchiveDefinition. A series neither decides gets the built-in template
 * (default-template.ts) at the step of its cadence: declared by its source,
 * or inferred from its first samples within `inferWithin` (cadence.ts).
 * `adapt` (off unless configured): reshape such a built-in archive, keeping
 * its history, once its series' samples have drifted from it for `after`
 * (cadence-adapter.ts).
 * `diskHeadroom`, `maxSeries` and `maxNewSeriesPerMinute` bound what new
 * series may take: one is refused at the door once its archive would leave
 * less than the headroom free, once the store holds maxSeries series, or
 * once its sender's token has made maxNewSeriesPerMinute new series this
 * minute (series-admission.ts). They are left out of the loaded value when
 * not configured (the headroom then is DEFAULT_DISK_HEADROOM; the others
 * do not bound).
 */
import { Type } from 'typebox';
import { CONSOLIDATION_FUNCTIONS, DS_TYPES } from '../../archive/index.js';
import { byteSize, checkSeriesGlob, defineSection, durationSeconds, EXPECTED, strictObject, type SectionValue } from '../config-schema/index.js';
import { checkArchiveRule } from './archive-rules.js';

const MiB = 2 ** 20;
const WEEK = 7 * 86400;

export const DEFAULT_WRITE_BEHIND = {
  flushIntervalSeconds: 60,
  maxJournalBytes: 256 * MiB,
} as const;

/**
 * How long a new series with no declared interval is held for its first
 * samples to show its cadence (cadence.ts): 20 minutes, so two samples of a
 * series written every 15 minutes arrive within it (with room for a late
 * one); held samples keep the journal from checkpointing past them, so this
 * also bounds how much more the journal holds while a new series is held.
 */
export const DEFAULT_INFER_WITHIN = 1200;

/** archives.adapt when enabled without its durations: a drift of an hour, each series at most once a day. */
export const DEFAULT_ADAPT = { after: 3600, atMostEvery: 86400 } as const;

export const writeBehindSection = defineSection({
  schema: strictObject(
    {
      flushIntervalSeconds: durationSeconds({ minimum: 1, maximum: 86400, default: DEFAULT_WRITE_BEHIND.flushIntervalSeconds }),
      maxJournalBytes: byteSize({ minimum: MiB, maximum: 2 ** 40, default: DEFAULT_WRITE_BEHIND.maxJournalBytes }),
    },
    { default: {} },
  ),
});

/** The `writeBehind` section as loaded: seconds and bytes. */
export type WriteBehindSettings = SectionValue<typeof writeBehindSection.schema>;

/** What a rule says about the archive, without the pattern; `default` is exactly this. */
const ruleBody = {
  /** Seconds per primary data point. Required with `rras`; with `retentions`, defaults to the first precision. */
  step: Type.Optional(durationSeconds({ minimum: 1, maximum: 4 * WEEK })),
  type: Type.Enum(DS_TYPES, { default: 'GAUGE' }),
  /** Default: two steps. */
  heartbeat: Type.Optional(durationSeconds({ minimum: 1, maximum: 52 * WEEK })),
  /** Leave out for no bound. */
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  rras: Type.Optional(
    Type.Array(Type.String({ [EXPECTED]: 'an rrdtool RRA string such as RRA:AVERAGE:0.5:1:1d' }), {
      minItems: 1,
      [EXPECTED]: 'a non-empty list of rrdtool RRA strings (RRA:CF:xff:steps:rows)',
    }),
  ),
  retentions: Type.Optional(Type.String({ minLength: 1, [EXPECTED]: 'Graphite retentions such as 10s:1d,1m:30d' })),
  /** With retentions: one RRA per CF and retention. Default: AVERAGE. */
  cfs: Type.Optional(
    Type.Array(Type.Enum(CONSOLIDATION_FUNCTIONS), {
      minItems: 1,
      uniqueItems: true,
      [EXPECTED]: `a non-empty list of distinct consolidation functions (${CONSOLIDATION_FUNCTIONS.join(', ')})`,
    }),
  ),
  /** With retentions: Graphite's xFilesFactor. Default: 0.5. */
  xff: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
};

export const ArchiveRuleBodySchema = strictObject(ruleBody);
export const ArchiveRuleSchema = strictObject({
  /** `*` matches within one dotted segment, `**` one or more whole segments (config-schema/series-glob.ts). */
  match: Type.String({ [EXPECTED]: 'a series pattern such as host.*.cpu.**' }),
  ...ruleBody,
});

export const archivesSection = defineSection({
  schema: strictObject(
    {
      rules: Type.Array(ArchiveRuleSchema, { default: [] }),
      /** Leave out for the built-in template at each series' own step (default-template.ts). */
      default: Type.Optional(strictObject(ruleBody)),
      inferWithin: durationSeconds({ minimum: 1, maximum: 86400, default: DEFAULT_INFER_WITHIN }),
      /** Free bytes a new series' archive must leave on the data directory's file system, for the series that exist and the journal (default 1 GiB). */
      diskHeadroom: Type.Optional(byteSize({ minimum: 0, maximum: 2 ** 50 })),
      /** Most series the store holds (archives and new series waiting for theirs); leave out for no bound. */
      maxSeries: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9 })),
      /** Most new series one token may make in a minute (HTTP ingest; not the Graphite listener, which has no token); leave out for no bound. */
      maxNewSeriesPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9 })),
      /** Leave out (or enabled: false) for archives that keep their definition until reshaped by hand. */
      adapt: Type.Optional(
        strictObject({
          enabled: Type.Boolean({ default: false }),
          /** How long a series' drift must last before its archive is reshaped. */
          after: durationSeconds({ minimum: 1, maximum: 4 * WEEK, default: DEFAULT_ADAPT.after }),
          /** A series is reshaped (or found not to be eligible) at most once in this time. */
          atMostEvery: durationSeconds({ minimum: 1, maximum: 52 * WEEK, default: DEFAULT_ADAPT.atMostEvery }),
        }),
      ),
    },
    { default: {} },
  ),
  check(archives, report) {
    archives.rules.forEach((rule, i) => {
      const globProblem = checkSeriesGlob(rule.match);
      if (globProblem !== undefined) report(['rules', i, 'match'], globProblem);
      checkArchiveRule(rule, (path, message) => report(['rules', i, ...path], message));
    });
    if (archives.default !== undefined) checkArchiveRule(archives.default, (path, message) => report(['default', ...path], message));
  },
});

/** The `archives` section as loaded: durations in seconds. */
export type ArchivesSettings = SectionValue<typeof archivesSection.schema>;

/** What the store reads of the server's configuration (a loaded ServerConfig is one). */
export interface StoreConfig {
  readonly dataDir: string;
  readonly archives: ArchivesSettings;
  readonly writeBehind: WriteBehindSettings;
  /** The `quarantine` section (quarantine-config.ts); left out, its default. */
  readonly quarantine?: { readonly maxBytes: number };
  readonly limits: { readonly seriesNameLength: number; readonly maxFutureSeconds: number };
}
