/**
 * The archives of the reshape crash test: a 10 s archive with a day of
 * history (definition `before`), reshaped to a 1 min one (`after`).
 */
import type { ArchiveDefinition, Sample } from '../../archive/index.js';

export const FILES = 8;
export const START = 1_700_000_000;

export const before: ArchiveDefinition = {
  step: 10,
  dataSources: [
    { name: 'in', type: 'COUNTER', heartbeat: 20, min: 0, max: NaN },
    { name: 'out', type: 'GAUGE', heartbeat: 20, min: NaN, max: NaN },
  ],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 8640 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 30, rows: 2880 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 30, rows: 2880 },
  ],
};

export const after: ArchiveDefinition = {
  step: 60,
  dataSources: before.dataSources.map((ds) => ({ ...ds, heartbeat: 120 })),
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 2880 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 10, rows: 4320 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 10, rows: 4320 },
  ],
};

/** A day of samples every 10 s for archive `a`. */
export function samples(a: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 1; i <= 8640; i++) out.push({ time: START + 10 * i, values: [1000 * i + a * i * i, (i * (a + 3)) % 97] });
  return out;
}
