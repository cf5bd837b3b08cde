/**
 * `units`: the unit of series' values set by the configuration, which wins
 * over what senders declare (a slurper's `unit`, an agent's, a POST
 * /api/v1/samples sample's). A list of `{ match, unit }`; the first entry
 * whose pattern fits a series gives its unit. The unit is that of the
 * values as sent, as a sender declares it: a rate kind's archive (COUNTER,
 * DERIVE, ...) lists `B` as `B/s`. Applied at start (a change needs a
 * restart). See docs/configuration.md.
 */
import { Type } from 'typebox';
import { checkMatch, defineSection, matchSchema, strictObject, unitSchema, type SectionValue } from '../config-schema/index.js';

/** More entries than any sane config has; each is tried in turn for a series not seen before. */
export const MAX_UNIT_RULES = 1000;

export const unitsSection = defineSection({
  schema: Type.Array(strictObject({ match: matchSchema(), unit: unitSchema() }), { default: [], maxItems: MAX_UNIT_RULES }),
  check: (value, report) => value.forEach((rule, i) => checkMatch(rule.match, [i, 'match'], report)),
});

/** The `units` section as loaded. */
export type UnitRules = SectionValue<typeof unitsSection.schema>;
