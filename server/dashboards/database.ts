/**
 * The dashboards table in the shared database (server/database), with its
 * own migration table `dashboard_migration`. Times are whole Unix seconds in
 * bigint columns and the panels JSON in a text column, as the other parts
 * keep theirs, so a PostgreSQL dialect can serve the same queries.
 */
import type { Selectable } from 'kysely';
import { openPartDatabase, type DatabaseSource, type PartDatabase } from '../database/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DashboardsTable {
  name: string;
  title: string;
  /** JSON array of the panels. */
  panels: string;
  author: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface DashboardDatabase {
  dashboards: DashboardsTable;
}

export type DashboardRow = Selectable<DashboardsTable>;

/** Opens the database and brings the dashboards table up to date (MigrationError names the migration that failed). */
export function openDashboardDatabase(source: DatabaseSource): Promise<PartDatabase<DashboardDatabase>> {
  return openPartDatabase<DashboardDatabase>(source, { part: 'dashboards table', migrations: MIGRATIONS, table: 'dashboard_migration' });
}
