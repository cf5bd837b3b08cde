/**
 * The answer of GET /api/v1/series as a TypeBox schema (it shows in the
 * OpenAPI document): each series with its definition, its last update and
 * value, and why its graph may be empty (`drift`, `held`). Mirrors
 * SeriesInfo (server/store/series-listing.ts); a field added there must be
 * added here, or the serializer leaves it out.
 */
import { Type } from 'typebox';
import { CONSOLIDATION_FUNCTIONS, DS_TYPES } from '../../archive/index.js';
import { Nullable } from './schema-parts.js';

const DataSourceOut = Type.Object({
  name: Type.String(),
  type: Type.Union(DS_TYPES.map((t) => Type.Literal(t))),
  heartbeat: Type.Number({ description: 'Seconds: a longer gap between two samples is stored as UNKNOWN.' }),
  min: Nullable(Type.Number(), 'Rates below are stored as UNKNOWN; null: no minimum.'),
  max: Nullable(Type.Number(), 'Rates above are stored as UNKNOWN; null: no maximum.'),
});

const RraOut = Type.Object({
  cf: Type.Union(CONSOLIDATION_FUNCTIONS.map((c) => Type.Literal(c))),
  xff: Type.Number({ description: 'Fraction of a row that may be UNKNOWN while the row is still known.' }),
  pdpPerRow: Type.Integer({ description: 'Steps per row.' }),
  rows: Type.Integer(),
});

/** SeriesDrift (server/store/drift.ts). */
export const DriftOut = Type.Object(
  {
    kind: Type.Union([Type.Literal('slow'), Type.Literal('fast')], {
      description: "slow: samples arrive further apart than the heartbeat (stored as UNKNOWN); fast: a quarter step apart or closer (each step keeps their average).",
    }),
    observedInterval: Type.Number({ description: "Seconds: the median gap between the series' recent samples." }),
    step: Type.Number({ description: "Seconds: the archive's step." }),
    heartbeat: Type.Number({ description: "Seconds: the archive's heartbeat." }),
    since: Type.Number({ description: 'Unix seconds (server clock) when this drift was first seen.' }),
  },
  { description: "Present while the series' recent samples do not fit its archive: reshape it (POST /api/v1/admin/reshape) to fit." },
);

/** HeldSamples (server/store/series-listing.ts). */
export const HeldOut = Type.Object(
  {
    samples: Type.Integer({ description: 'Samples held.' }),
    since: Type.Number({ description: 'Unix seconds (server clock) since when the first of them waits.' }),
  },
  { description: 'Present while the series has no archive yet: its samples are held until its cadence is known (archives.inferWithin at most), then applied.' },
);

export const SeriesOut = Type.Object({
  series: Type.String(),
  lastUpdate: Type.Number({ description: "Unix seconds of the newest sample, pending or archived; the archive's start when it has none." }),
  lastValue: Nullable(Type.Number(), "That sample's value; null when unknown."),
  definition: Type.Object({
    step: Type.Integer({ description: 'Seconds per step.' }),
    dataSources: Type.Array(DataSourceOut),
    rras: Type.Array(RraOut),
  }),
  unit: Type.Optional(
    Type.String({
      description:
        "The unit of the stored values: the unit the series' samples declared (or the config's `units` section gives), per second for a rate kind (COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE: `B` → `B/s`, `count` → `count/s`). Absent when unknown.",
    }),
  ),
  message: Type.Optional(Type.String({ description: "The last message the series' samples carried (a check's state line), when the server has one in memory." })),
  drift: Type.Optional(DriftOut),
  held: Type.Optional(HeldOut),
});
