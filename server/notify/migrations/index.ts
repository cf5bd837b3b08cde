/**
 * Every migration of the notification tables, by name. Names start with the
 * date they were written, so name order is the order they apply in. A
 * migration is frozen once released: change the schema with a new one.
 */
import type { Migration } from 'kysely';
import * as createNotify from './2026-11-24-create-notify.js';
import * as toCc from './2026-12-08-to-cc.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-24-create-notify': createNotify,
  '2026-12-08-to-cc': toCc,
};
