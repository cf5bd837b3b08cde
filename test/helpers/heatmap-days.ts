/**
 * Three UTC days of hourly error rates of three brokers, with the heatmap
 * they give derived by hand, for the heatmap's API and web tests.
 *
 * A sample at an hour's end stands for the hour, as a GAUGE's does (a
 * series' first sample too, its archive starting a step before it). After
 * a day without samples, the next day's first hour is unknown too (25 h
 * since the last sample, past the 2 h heartbeat of HEATMAP_ARCHIVES): the
 * other 23 hours make its value.
 *   a: day 0 all 0, day 1 all 5, day 2 all 20                 → 0, 5, 20
 *   b: nothing on day 0; day 1 2 then 8 (12 h each); day 2 0  → null, 5 (MIN 2, MAX 8, LAST 8), 0
 *   c: day 0 all 0; nothing on day 1; day 2 all 20            → 0, null, 20
 */
export const HOUR = 3600;
export const DAY = 86_400;

/** Archives of one hour a row for 60 days, so a day is 24 known rows. */
export const HEATMAP_ARCHIVES = { step: '1h', heartbeat: '2h', retentions: '1h:60d', cfs: ['AVERAGE'] } as const;

export const BLACK = '#000000';
export const BLUE = '#1f5fd6';
export const YELLOW = '#f2c511';
export const RED = '#d7261e';

/** The view of the example: no data black, 0 % blue, up to 10 % yellow, above red. */
export const BROKER_VIEW = {
  name: 'broker-errors',
  title: 'Broker error rate',
  match: 'broker.*.error_rate',
  bucket: '1d',
  range: '3d',
  unit: '%',
  classes: [
    { max: 0, colour: BLUE, label: '0 %' },
    { max: 10, colour: YELLOW, label: '≤ 10 %' },
    { colour: RED, label: '> 10 %' },
  ],
} as const;

/** Midnight UTC three days before today's: the grid's first day. */
export function firstDay(nowSeconds = Date.now() / 1000): number {
  return Math.floor(nowSeconds / DAY) * DAY - 3 * DAY;
}

const hours = (v: number): number[] => Array<number>(24).fill(v);

const DAYS: Record<string, (readonly number[] | undefined)[]> = {
  'broker.a.error_rate': [hours(0), hours(5), hours(20)],
  'broker.b.error_rate': [undefined, [...Array<number>(12).fill(2), ...Array<number>(12).fill(8)], hours(0)],
  'broker.c.error_rate': [hours(0), undefined, hours(20)],
};

/** The AVERAGE grid by hand, rows in name order. */
export const EXPECTED_AVERAGE = [
  [0, 5, 20],
  [null, 5, 0],
  [0, null, 20],
];

/** The colour of each cell of EXPECTED_AVERAGE under BROKER_VIEW. */
export const EXPECTED_COLOURS = [
  [BLUE, YELLOW, RED],
  [BLACK, YELLOW, BLUE],
  [BLUE, BLACK, RED],
];

/** The samples, series by series in time order. */
export function heatmapSamples(d0: number): { series: string; t: number; v: number }[] {
  const out: { series: string; t: number; v: number }[] = [];
  for (const [series, days] of Object.entries(DAYS)) {
    days.forEach((values, day) => values?.forEach((v, h) => out.push({ series, t: d0 + day * DAY + (h + 1) * HOUR, v })));
  }
  return out;
}
