/** Every migration of the alarm tables, by name (dated; frozen once released). */
import type { Migration } from 'kysely';
import * as createAlarms from './2026-11-24-create-alarms.js';
import * as inhibitedBy from './2026-12-07-inhibited-by.js';
import * as acknowledgements from './2026-12-08-acknowledgements.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-24-create-alarms': createAlarms,
  '2026-12-07-inhibited-by': inhibitedBy,
  '2026-12-08-acknowledgements': acknowledgements,
};
