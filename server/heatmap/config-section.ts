/**
 * `heatmaps`: the limits of GET /api/v1/heatmap and the named views a
 * client (the web view, a report) may ask for by name: which series, the
 * bucket, the CF, the unit and the colour classes (classes.ts). Each view
 * is checked at start: a bad pattern, class order or colour stops the
 * server with an error naming the key (heatmaps.views[0].classes[1].max).
 */
import { Type } from 'typebox';
import { CONSOLIDATION_FUNCTIONS } from '../../archive/index.js';
import { checkSeriesGlob, defineSection, durationSeconds, EXPECTED, nameSchema, strictObject, type SectionValue } from '../config-schema/index.js';
import { classProblems, COLOUR_PATTERN, DEFAULT_SCALE, MAX_CLASSES } from './classes.js';

const DAY = 86_400;

export const DEFAULT_HEATMAPS = { maxSeries: 200, maxBuckets: 1000, bucket: DAY, range: 30 * DAY } as const;
/** Shortest and longest bucket: a minute (finer is a graph's job) to a year. */
export const BUCKET_RANGE = { minimum: 60, maximum: 366 * DAY } as const;
/** Longest range one heatmap may cover (besides maxBuckets): as long as an archive can reach back. */
export const MAX_RANGE = 100 * 366 * DAY;

const colour = (defaultColour?: string) =>
  Type.String({ pattern: COLOUR_PATTERN, ...(defaultColour === undefined ? {} : { default: defaultColour }), [EXPECTED]: 'a colour #rrggbb' });

export const ColourClassSchema = strictObject({
  /** The largest value of the class (inclusive); left out on the last class only. */
  max: Type.Optional(Type.Number()),
  colour: colour(),
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});

export const HeatmapViewSchema = strictObject({
  name: nameSchema('a heatmap name', { maxLength: 64 }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  match: Type.String({ minLength: 1, [EXPECTED]: 'a series pattern' }),
  bucket: durationSeconds({ ...BUCKET_RANGE, default: DEFAULT_HEATMAPS.bucket }),
  /** How far back a heatmap of this view reaches when the request gives no `from`. */
  range: durationSeconds({ minimum: BUCKET_RANGE.minimum, maximum: MAX_RANGE, default: DEFAULT_HEATMAPS.range }),
  cf: Type.Enum(CONSOLIDATION_FUNCTIONS, { default: 'AVERAGE' }),
  ds: Type.Optional(Type.String({ minLength: 1, maxLength: 19 })),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  noData: colour(DEFAULT_SCALE.noData),
  classes: Type.Array(ColourClassSchema, {
    minItems: 1,
    maxItems: MAX_CLASSES,
    default: DEFAULT_SCALE.classes.map((c) => ({ ...c })),
    [EXPECTED]: `1 to ${MAX_CLASSES} classes in ascending order of max, the last without max`,
  }),
});

export const heatmapsSection = defineSection({
  schema: strictObject(
    {
      /** Most series (rows) one heatmap shows; a pattern matching more is refused with a 400 naming querystring/match. */
      maxSeries: Type.Integer({ minimum: 1, maximum: 5000, default: DEFAULT_HEATMAPS.maxSeries }),
      /** Most buckets (columns) one heatmap has; more is refused with a 400 naming querystring/bucket. */
      maxBuckets: Type.Integer({ minimum: 1, maximum: 8192, default: DEFAULT_HEATMAPS.maxBuckets }),
      views: Type.Array(HeatmapViewSchema, { default: [] }),
    },
    { default: {} },
  ),
  check: (settings, report) => {
    const names = new Set<string>();
    settings.views.forEach((view, i) => {
      if (names.has(view.name)) report(['views', i, 'name'], `'${view.name}' names another heatmap too; heatmap names must be unique`);
      names.add(view.name);
      const glob = checkSeriesGlob(view.match);
      if (glob !== undefined) report(['views', i, 'match'], glob);
      if (view.range < view.bucket) report(['views', i, 'range'], `must be at least the bucket (${view.bucket} s)`);
      for (const [j, key, message] of classProblems(view.classes)) report(j === undefined ? ['views', i, 'classes'] : ['views', i, 'classes', j, key], message);
    });
  },
});

/** The `heatmaps` section as loaded: durations in seconds. */
export type HeatmapsSettings = SectionValue<typeof heatmapsSection.schema>;
/** One named view as loaded. */
export type HeatmapView = HeatmapsSettings['views'][number];
