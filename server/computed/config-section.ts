/**
 * `computed`: series the server computes every step from other series (an
 * aggregation over a pattern) and stores as series of their own, archived,
 * alarmable, fetchable and listed like any other (docs/computed.md).
 *
 *   name   the computed series' name (a series name); unique, and not
 *          under `ringmon.` (the server's own series)
 *   op     count | sum | min | max | avg | percent
 *   match  a series pattern or a list of them: the members; must not match
 *          `name` itself (a computed series never counts itself)
 *   where  count and percent only (required for percent): when a member's
 *          value counts (condition.ts)
 *   step   how often it is computed; default the step the archive rules
 *          give `name` (one minute when no rule decides: archive-rules.ts)
 */
import { Type } from 'typebox';
import { checkMatch, checkSeriesName, defineSection, durationSeconds, EXPECTED, matchSchema, seriesGlob, strictObject, type SectionValue } from '../config-schema/index.js';
import { SERVER_SERIES_PREFIX } from '../store/index.js';
import { COMPUTED_OPS } from './aggregate.js';
import { parseCondition } from './condition.js';

/** Most computed series in one config: each is evaluated every step. */
export const MAX_COMPUTED_SERIES = 1000;
/** Longest `where`. */
export const MAX_WHERE_LENGTH = 64;
/** Longest step: the step ladder's last (store/step-ladder.ts), four weeks. */
const MAX_STEP = 28 * 86_400;

export const ComputedSeriesSchema = strictObject({
  name: Type.String({ minLength: 1, [EXPECTED]: 'a series name' }),
  op: Type.Union(
    COMPUTED_OPS.map((op) => Type.Literal(op)),
    { [EXPECTED]: COMPUTED_OPS.join(', ') },
  ),
  match: matchSchema(),
  where: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_WHERE_LENGTH, [EXPECTED]: 'a condition such as >= 1' })),
  step: Type.Optional(durationSeconds({ minimum: 1, maximum: MAX_STEP })),
});

export const computedSection = defineSection({
  schema: Type.Array(ComputedSeriesSchema, { default: [], maxItems: MAX_COMPUTED_SERIES }),
  check: (list, report) => {
    const firstAt = new Map<string, number>();
    list.forEach((c, i) => {
      const nameProblem = checkSeriesName(c.name);
      if (nameProblem !== undefined) report([i, 'name'], nameProblem);
      else if (c.name.startsWith(SERVER_SERIES_PREFIX)) report([i, 'name'], `'${c.name}': names under '${SERVER_SERIES_PREFIX}' are the server's own series (ringmon.nodes.<node>.up); choose another`);
      const before = firstAt.get(c.name);
      if (before !== undefined) report([i, 'name'], `'${c.name}' is also computed[${before}]; each computed series has one definition`);
      else firstAt.set(c.name, i);
      let patternsOk = true;
      checkMatch(c.match, [i, 'match'], (at, message) => {
        patternsOk = false;
        report(at, message);
      });
      const patterns = typeof c.match === 'string' ? [c.match] : c.match;
      if (patternsOk && nameProblem === undefined) {
        const own = patterns.find((p) => seriesGlob(p).test(c.name));
        if (own !== undefined) report([i, 'match'], `'${own}' matches its own name '${c.name}': a computed series must not count itself`);
      }
      if (c.where === undefined) {
        if (c.op === 'percent') report([i, 'where'], 'is required for percent: the share of members where it holds');
      } else if (c.op !== 'count' && c.op !== 'percent') {
        report([i, 'where'], `applies to only count and percent; ${c.op} takes every known member`);
      } else {
        const condition = parseCondition(c.where);
        if (typeof condition === 'string') report([i, 'where'], condition);
      }
    });
  },
});

/** The `computed` section as loaded. */
export type ComputedSettings = SectionValue<typeof computedSection.schema>;
/** One computed series as loaded. */
export type ComputedSetting = ComputedSettings[number];
