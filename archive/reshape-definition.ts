/**
 * The new definition of a reshape, from an archive's definition and the
 * changes asked for (the CLI's options; the server passes its own full
 * definition to reshapeArchive instead):
 *   - rras: a complete new list of RRAs (already read against the new step);
 *   - retentions: Graphite retentions (`10s:1d,1m:30d`), one RRA per CF the
 *     archive has and retention, with xff 0.5;
 *   - neither: every RRA keeps its CF, xff and the time it covers, its row
 *     length rounded up to a whole number of new steps (RRAs that end up
 *     equal are merged, keeping the longest);
 *   - step: the new step; when it changes and no heartbeat is given, each
 *     heartbeat is scaled by new step / old step, so a DS keeps tolerating
 *     the same number of missed updates;
 *   - heartbeat: every DS's new heartbeat.
 * The result is validated (InvalidDefinitionError names the field).
 */
import { validateDefinition, type ArchiveDefinition, type ConsolidationFunction, type RraDefinition } from './definition.js';
import { parseRetentions } from './definition-syntax.js';

export interface ReshapeChanges {
  readonly step?: number;
  readonly rras?: readonly RraDefinition[];
  readonly retentions?: string;
  readonly heartbeat?: number;
}

/** The old RRAs under a new step, each keeping the time it covers. */
function keepRetentions(old: ArchiveDefinition, step: number): RraDefinition[] {
  const out: RraDefinition[] = [];
  for (const rra of old.rras) {
    const oldRowSeconds = old.step * rra.pdpPerRow;
    const pdpPerRow = Math.max(1, Math.ceil(oldRowSeconds / step));
    const rows = Math.max(1, Math.ceil((oldRowSeconds * rra.rows) / (step * pdpPerRow)));
    const same = out.findIndex((o) => o.cf === rra.cf && o.pdpPerRow === pdpPerRow);
    if (same < 0) out.push({ cf: rra.cf, xff: rra.xff, pdpPerRow, rows });
    else if (out[same].rows < rows) out[same] = { ...out[same], rows };
  }
  return out;
}

export function reshapedDefinition(old: ArchiveDefinition, changes: ReshapeChanges): ArchiveDefinition {
  const step = changes.step ?? old.step;
  let rras: readonly RraDefinition[];
  if (changes.rras !== undefined) {
    rras = changes.rras;
  } else if (changes.retentions !== undefined) {
    const cfs = [...new Set(old.rras.map((r) => r.cf))] as ConsolidationFunction[];
    rras = parseRetentions(changes.retentions, { step, cfs });
  } else {
    rras = keepRetentions(old, step);
  }
  const dataSources = old.dataSources.map((ds) => ({
    ...ds,
    heartbeat: changes.heartbeat ?? (step === old.step ? ds.heartbeat : Math.max(1, Math.round((ds.heartbeat * step) / old.step))),
  }));
  const definition: ArchiveDefinition = { step, dataSources, rras };
  validateDefinition(definition);
  return definition;
}
