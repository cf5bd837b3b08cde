/**
 * Colour classes of a heatmap: which colour a cell's value gets. A list of
 * classes in ascending order, each with the largest value it takes (`max`,
 * inclusive), the last one without `max` taking every larger value; a cell
 * with no data (nothing imported in its time, UNKNOWN) takes `noData`.
 * The same classes colour the PNG (render.ts), the legend and the cells of
 * the web view (from the JSON answer), so all three agree.
 *
 * The default is the broker monitor's error rate in percent: no data black,
 * 0 blue, up to 10 yellow, above 10 red.
 */

/** One class: values up to `max` (inclusive; above the class before) get `colour`. */
export interface ColourClass {
  /** Absent on the last class only: it takes every value above the class before it. */
  readonly max?: number;
  /** `#rrggbb`. */
  readonly colour: string;
  /** What the legend says; default made from the bounds. */
  readonly label?: string;
}

export interface ColourScale {
  readonly classes: readonly ColourClass[];
  /** `#rrggbb` of a cell without data. */
  readonly noData: string;
}

export const MAX_CLASSES = 16;
export const COLOUR_PATTERN = '^#[0-9a-fA-F]{6}$';
const COLOUR = new RegExp(COLOUR_PATTERN);

export const DEFAULT_SCALE: ColourScale = {
  noData: '#000000',
  classes: [
    { max: 0, colour: '#1f5fd6', label: '0' },
    { max: 10, colour: '#f2c511', label: '≤ 10' },
    { colour: '#d7261e', label: '> 10' },
  ],
};

/**
 * What is wrong with `classes`, as [index or undefined for the whole list,
 * key, message]; empty when nothing. Ascending `max`, only the last without.
 */
export function classProblems(classes: readonly ColourClass[]): Array<[number | undefined, string, string]> {
  const problems: Array<[number | undefined, string, string]> = [];
  if (classes.length < 1 || classes.length > MAX_CLASSES) problems.push([undefined, '', `must list 1 to ${MAX_CLASSES} classes, got ${classes.length}`]);
  classes.forEach((c, i) => {
    if (!COLOUR.test(c.colour)) problems.push([i, 'colour', `must be a colour #rrggbb, got ${JSON.stringify(c.colour)}`]);
    const last = i === classes.length - 1;
    if (last && c.max !== undefined) problems.push([i, 'max', 'the last class takes every larger value: leave its max out']);
    if (!last && c.max === undefined) problems.push([i, 'max', 'only the last class may leave max out']);
    const before = classes[i - 1]?.max;
    if (c.max !== undefined && !Number.isFinite(c.max)) problems.push([i, 'max', `must be a finite number, got ${c.max}`]);
    else if (c.max !== undefined && before !== undefined && c.max <= before) problems.push([i, 'max', `must be above the class before's max ${before}, got ${c.max}`]);
  });
  return problems;
}

/** The index of the class `value` falls in; -1 for no data (null or NaN). */
export function classOf(classes: readonly ColourClass[], value: number | null): number {
  if (value === null || Number.isNaN(value)) return -1;
  const i = classes.findIndex((c) => c.max === undefined || value <= c.max);
  return i === -1 ? classes.length - 1 : i;
}

/** `#rrggbb` as [r, g, b]. */
export function rgbOf(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The legend's words for each class: its label as written, or its bounds with the unit. */
export function classLabels(classes: readonly ColourClass[], unit?: string): string[] {
  const u = unit === undefined ? '' : ` ${unit}`;
  return classes.map((c, i) => c.label ?? (c.max === undefined ? `> ${classes[i - 1]?.max ?? '-∞'}${u}` : i === 0 ? `≤ ${c.max}${u}` : `${classes[i - 1].max} < v ≤ ${c.max}${u}`));
}

/**
 * Classes written in a query string: `MAX:RRGGBB` pairs separated by commas,
 * the last with `*` for its max (`0:1f5fd6,10:f2c511,*:d7261e`; the `#` is
 * left out, as it would end a URL). Returns the classes or the problem.
 */
export function readClassText(text: string): ColourClass[] | string {
  const parts = text.split(',');
  if (parts.length > MAX_CLASSES) return `at most ${MAX_CLASSES} classes, got ${parts.length}`;
  const classes: ColourClass[] = [];
  for (const [i, part] of parts.entries()) {
    const m = /^\s*(\*|-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*:\s*#?([0-9a-fA-F]{6})\s*$/.exec(part);
    if (m === null) return `class ${i + 1} '${part.slice(0, 40)}' is not MAX:RRGGBB (e.g. 0:1f5fd6,10:f2c511,*:d7261e)`;
    classes.push({ ...(m[1] === '*' ? {} : { max: Number(m[1]) }), colour: `#${m[2].toLowerCase()}` });
  }
  const problem = classProblems(classes)[0];
  return problem === undefined ? classes : `class ${(problem[0] ?? 0) + 1}: ${problem[2]}`;
}
