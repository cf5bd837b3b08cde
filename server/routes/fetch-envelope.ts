/**
 * The rows that widen a compact answer's envelope: an RRA that
 * consolidates several primary points a row (a year's 6-hour rows) has
 * averaged its spikes away, but the archive's MIN and MAX RRAs of the same
 * rows, where it keeps them (the built-in template does), still hold them.
 * Read only where they are other RRAs with exactly the line's rows, and
 * only within what is left of limits.fetchMaxRows: without them the
 * envelope is that of the line's own rows, never a refusal.
 */
import type { ConsolidationFunction, FetchedValues, FetchPlan } from '../../archive/index.js';

/** The lowest and highest rows of each of the line's rows. */
export interface EnvelopeRows {
  readonly lowest: FetchedValues;
  readonly highest: FetchedValues;
}

/** How the route reads a series with another CF: its plan (null where the archive has no RRA for it), then its values. */
export interface CfReader {
  plan(cf: ConsolidationFunction): Promise<FetchPlan | null>;
  values(cf: ConsolidationFunction): Promise<FetchedValues>;
}

const sameRows = (a: FetchPlan, b: FetchPlan): boolean => a.rra !== b.rra && a.step === b.step && a.start === b.start && a.rowCount === b.rowCount;

/** The MIN and MAX rows matching `line`, when both exist and their `2 × rowCount` rows fit in `budget`; else undefined. */
export async function envelopeRows(line: FetchPlan, reader: CfReader, budget: number): Promise<EnvelopeRows | undefined> {
  if (2 * line.rowCount > budget) return undefined;
  const [low, high] = await Promise.all([reader.plan('MIN'), reader.plan('MAX')]);
  if (low === null || high === null || !sameRows(line, low) || !sameRows(line, high)) return undefined;
  const [lowest, highest] = await Promise.all([reader.values('MIN'), reader.values('MAX')]);
  // A flush between planning and reading may have moved the ring: then the rows no longer match, and are not used.
  return sameRows(line, lowest) && sameRows(line, highest) ? { lowest, highest } : undefined;
}
