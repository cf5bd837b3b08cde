/**
 * The unit of each series' values: what its samples declared, kept in
 * memory (read from the database at start) and written to the database
 * only when it changes, in batches off the ingest path; and the `units`
 * section's rules, which win over any declaration. A sender repeats its
 * units with every sample, so declare() is one Map lookup for a unit
 * already known; a change is queued and written within FLUSH_DELAY_MS.
 */
import type { DsType } from '../../archive/index.js';
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import type { DatabaseSource, PartDatabase } from '../database/index.js';
import { openUnitDatabase, type UnitDatabase } from './database.js';
import type { UnitRules } from './config-section.js';
import { storedUnit } from './stored-unit.js';

/** 3 parameters a row, well within SQLite's limit of 32,766 a statement. */
const ROWS_PER_STATEMENT = 500;

/** How long a changed unit waits to be written with the others that change meanwhile. */
export const FLUSH_DELAY_MS = 1000;

export interface UnitsLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface SeriesUnitsOptions {
  /** Where the table lives: the server's shared connection, or a file (tests, tools). */
  readonly database: DatabaseSource;
  /** The `units` section: first match wins over what senders declare. */
  readonly rules: UnitRules;
  readonly log: UnitsLogger;
  /** The clock, Unix seconds, for changed_at. */
  readonly now?: () => number;
}

/** What the rest of the server asks of units; SeriesUnits implements it. */
export interface UnitLookup {
  /** The unit of `series`' values as sent (config rule, else declared); undefined when unknown. Never throws. */
  unitOf(series: string): string | undefined;
  /** The unit of the values its archive of DS type `type` stores (`B` of a COUNTER → `B/s`); undefined when unknown. Never throws. */
  storedUnitOf(series: string, type: DsType): string | undefined;
}

/** Where declared units go (the ingest path): remembers `unit` for `series`; never throws, never waits. */
export type UnitOffer = (series: string, unit: string) => void;

interface Rule {
  readonly matchers: readonly SeriesMatcher[];
  readonly unit: string;
}

export class SeriesUnits implements UnitLookup {
  private readonly dirty = new Map<string, string>();
  /** A rule's unit by series, or null for none, once asked: the rules do not change while the server runs. */
  private readonly ruled = new Map<string, string | null>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly part: PartDatabase<UnitDatabase>,
    private readonly declared: Map<string, string>,
    private readonly rules: readonly Rule[],
    private readonly log: UnitsLogger,
    private readonly now: () => number,
  ) {}

  /** Opens the table (migrating it) and reads every declared unit; rejects as openPartDatabase (MigrationError) or SQLite. */
  static async open(options: SeriesUnitsOptions): Promise<SeriesUnits> {
    const part = await openUnitDatabase(options.database);
    try {
      const rows = await part.db.selectFrom('series_units').select(['series', 'unit']).execute();
      const rules = options.rules.map((r) => ({ matchers: (typeof r.match === 'string' ? [r.match] : r.match).map(seriesGlob), unit: r.unit }));
      return new SeriesUnits(part, new Map(rows.map((r) => [r.series, r.unit])), rules, options.log, options.now ?? (() => Date.now() / 1000));
    } catch (e) {
      await part.close();
      throw e;
    }
  }

  /** Series with a declared unit. */
  get size(): number {
    return this.declared.size;
  }

  /** UnitOffer: a unit a sample of `series` declared (checked at the door); queued for the database when it changed. */
  declare(series: string, unit: string): void {
    if (this.declared.get(series) === unit || this.closed) return;
    this.declared.set(series, unit);
    this.dirty.set(series, unit);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  unitOf(series: string): string | undefined {
    return this.ruleUnit(series) ?? this.declared.get(series);
  }

  storedUnitOf(series: string, type: DsType): string | undefined {
    return storedUnit(this.unitOf(series), type);
  }

  /** Writes the changed units in one transaction; a failure is logged and they are tried again at the next change or flush. Never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Writes what changed, then lets go of the database; later declarations are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.part.close();
  }

  private async write(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty];
    this.dirty.clear();
    const at = this.now();
    try {
      await this.part.db.transaction().execute(async (tx) => {
        // Many rows a statement: a new sender's first batch declares the units of all its series at once.
        for (let from = 0; from < batch.length; from += ROWS_PER_STATEMENT) {
          await tx
            .insertInto('series_units')
            .values(batch.slice(from, from + ROWS_PER_STATEMENT).map(([series, unit]) => ({ series, unit, changed_at: at })))
            .onConflict((c) => c.column('series').doUpdateSet((eb) => ({ unit: eb.ref('excluded.unit'), changed_at: eb.ref('excluded.changed_at') })))
            .execute();
        }
      });
    } catch (e) {
      // Put back what no later declaration replaced, for the next try.
      for (const [series, unit] of batch) if (!this.dirty.has(series)) this.dirty.set(series, unit);
      this.log.warn({ err: e, series: batch.length }, `units: could not write ${batch.length} changed series units to the database; kept in memory, tried again at the next change`);
    }
  }

  private ruleUnit(series: string): string | undefined {
    if (this.rules.length === 0) return undefined;
    let unit = this.ruled.get(series);
    if (unit === undefined) {
      unit = this.rules.find((r) => r.matchers.some((m) => m.test(series)))?.unit ?? null;
      this.ruled.set(series, unit);
    }
    return unit ?? undefined;
  }
}
