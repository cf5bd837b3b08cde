/**
 * Every migration of the units table, by name. Names start with the date
 * they were written, so name order is the order they apply in. A migration
 * is frozen once released: change the schema with a new one.
 */
import type { Migration } from 'kysely';
import * as createSeriesUnits from './2026-12-08-create-series-units.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-12-08-create-series-units': createSeriesUnits,
};
