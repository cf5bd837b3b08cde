/**
 * Every migration of the dashboards table, by name. Names start with the
 * date they were written, so name order is the order they apply in. A
 * migration is frozen once released: change the schema with a new one.
 */
import type { Migration } from 'kysely';
import * as createDashboards from './2026-12-07-create-dashboards.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-12-07-create-dashboards': createDashboards,
};
