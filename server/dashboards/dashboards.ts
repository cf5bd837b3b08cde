/**
 * The saved dashboards, in the database. Saves are optimistic: a client
 * names the version it edited, and a save or delete naming another version
 * than the stored one is refused (DashboardConflictError), so two people
 * editing the same dashboard cannot overwrite each other unseen. Each
 * change runs in one transaction: a refused one changes nothing.
 */
import type { Kysely } from 'kysely';
import type { DatabaseSource, PartDatabase } from '../database/index.js';
import { openDashboardDatabase, type DashboardDatabase, type DashboardRow } from './database.js';
import { DashboardConflictError, UnknownDashboardError } from './errors.js';
import { MAX_DASHBOARDS, type Dashboard, type DashboardDraft, type DashboardSummary, type Panel } from './model.js';

function fromRow(row: DashboardRow): Dashboard {
  return {
    name: row.name,
    title: row.title,
    panels: JSON.parse(row.panels) as Panel[],
    author: row.author,
    created: Number(row.created_at),
    updated: Number(row.updated_at),
    version: Number(row.version),
  };
}

export class Dashboards {
  private constructor(
    private readonly database: PartDatabase<DashboardDatabase>,
    private readonly maxDashboards: number,
  ) {}

  /** Opens the database (a file, or the server's shared connection) and brings the table up to date; throws MigrationError when it cannot. `maxDashboards`: dashboards.maxStored. */
  static async open(source: DatabaseSource, maxDashboards = MAX_DASHBOARDS): Promise<Dashboards> {
    return new Dashboards(await openDashboardDatabase(source), maxDashboards);
  }

  private get db(): Kysely<DashboardDatabase> {
    return this.database.db;
  }

  /** Every dashboard without its panels, by name. */
  async list(): Promise<DashboardSummary[]> {
    const rows = await this.db.selectFrom('dashboards').selectAll().orderBy('name').execute();
    return rows.map((row) => {
      const { panels, ...rest } = fromRow(row);
      return { ...rest, panelCount: panels.length };
    });
  }

  /** One dashboard; throws UnknownDashboardError. */
  async get(name: string): Promise<Dashboard> {
    const row = await this.db.selectFrom('dashboards').selectAll().where('name', '=', name).executeTakeFirst();
    if (row === undefined) throw new UnknownDashboardError(name);
    return fromRow(row);
  }

  /**
   * Creates the dashboard (`version` undefined or 0) or replaces the stored
   * one (`version` its current version), as `author` at `now` (Unix
   * seconds). Throws DashboardConflictError when the version is not the
   * stored one, or the count limit is reached. The draft must be valid
   * (validate.ts): the store does not check it again.
   */
  async save(name: string, draft: DashboardDraft, author: string, version: number | undefined, now: number): Promise<Dashboard> {
    const at = Math.floor(now);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('dashboards').selectAll().where('name', '=', name).executeTakeFirst();
      const fields = { title: draft.title, panels: JSON.stringify(draft.panels), author, updated_at: at };
      if (row === undefined) {
        if (version !== undefined && version !== 0) throw new DashboardConflictError(`dashboard '${name}' no longer exists (version ${version} was edited): save it with version 0 to create it again`, 0);
        const { count } = await trx.selectFrom('dashboards').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
        if (Number(count) >= this.maxDashboards) throw new DashboardConflictError(`there are ${this.maxDashboards} dashboards, the most dashboards.maxStored allows; delete one first, or raise the setting`);
        const created = { name, ...fields, created_at: at, version: 1 };
        await trx.insertInto('dashboards').values(created).execute();
        return fromRow(created);
      }
      const current = Number(row.version);
      if (version === undefined || version === 0) throw new DashboardConflictError(`dashboard '${name}' exists (version ${current} by ${row.author}): send its version to replace it`, current);
      if (version !== current) throw new DashboardConflictError(`dashboard '${name}' was saved by ${row.author} since version ${version} (it is now version ${current}): reload it and apply your change again`, current);
      const replaced = { ...row, ...fields, version: current + 1 };
      await trx.updateTable('dashboards').set({ ...fields, version: current + 1 }).where('name', '=', name).execute();
      return fromRow(replaced);
    });
  }

  /** Deletes the dashboard; with `version`, only if it is still that version. Throws UnknownDashboardError or DashboardConflictError. */
  async remove(name: string, version: number | undefined): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('dashboards').select(['version', 'author']).where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw new UnknownDashboardError(name);
      if (version !== undefined && version !== Number(row.version)) {
        throw new DashboardConflictError(`dashboard '${name}' was saved by ${row.author} since version ${version} (it is now version ${row.version}): not deleted`, Number(row.version));
      }
      await trx.deleteFrom('dashboards').where('name', '=', name).execute();
    });
  }

  /** Closes a connection opened for a file; leaves a shared one to its owner. */
  close(): Promise<void> {
    return this.database.close();
  }
}
