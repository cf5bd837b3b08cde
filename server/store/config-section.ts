/**
 * The store's two sections.
 *
 * `writeBehind`: samples are acknowledged once they are in the journal and
 * written to their archives in batches; these bound how long and how much
 * may wait.
 *
 * `archives`: the archive definition a new series gets. `rules` are tried in
 * order and the first whose `match` pattern fits the series name decides;
 * `default` decides for the rest. A rule gives its RRAs either as rrdtool
 * RRA strings (`rras`) or as Graphite retentions (`retentions` + `cfs`);
 * archive-rules.ts turns either into an ArchiveDefinition.
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

/** The built-in `archives.default`: what a series gets when no rule matches. */
export const DEFAULT_ARCHIVE_RULE = {
  step: 10,
  type: 'GAUGE',
  heartbeat: 20,
  retentions: '10s:2d,1m:30d,1h:1y,1d:10y',
  cfs: ['AVERAGE', 'MIN', 'MAX'],
  xff: 0.5,
} as const;

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
      default: strictObject(ruleBody, { default: DEFAULT_ARCHIVE_RULE }),
    },
    { default: {} },
  ),
  check(archives, report) {
    archives.rules.forEach((rule, i) => {
      const globProblem = checkSeriesGlob(rule.match);
      if (globProblem !== undefined) report(['rules', i, 'match'], globProblem);
      checkArchiveRule(rule, (path, message) => report(['rules', i, ...path], message));
    });
    checkArchiveRule(archives.default, (path, message) => report(['default', ...path], message));
  },
});

/** The `archives` section as loaded: durations in seconds. */
export type ArchivesSettings = SectionValue<typeof archivesSection.schema>;

/** What the store reads of the server's configuration (a loaded ServerConfig is one). */
export interface StoreConfig {
  readonly dataDir: string;
  readonly archives: ArchivesSettings;
  readonly writeBehind: WriteBehindSettings;
  readonly limits: { readonly seriesNameLength: number };
}
