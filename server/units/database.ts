/** The units table in the shared database (server/database): the unit each series' samples last declared. */
import { openPartDatabase, type DatabaseSource, type PartDatabase } from '../database/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface SeriesUnitsTable {
  series: string;
  unit: string;
  /** Unix seconds (server clock) when it was last changed. */
  changed_at: number;
}

export interface UnitDatabase {
  series_units: SeriesUnitsTable;
}

/** Opens the database and brings the units table up to date (MigrationError names the migration that failed). */
export function openUnitDatabase(source: DatabaseSource): Promise<PartDatabase<UnitDatabase>> {
  return openPartDatabase<UnitDatabase>(source, { part: 'units table', migrations: MIGRATIONS, table: 'units_migration' });
}
