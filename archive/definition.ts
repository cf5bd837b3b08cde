import { InvalidDefinitionError } from './errors.js';

/**
 * Data source types, as in rrdtool. The order is persisted (format.ts stores
 * the index), so new types may only be appended.
 */
export const DS_TYPES = ['GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE'] as const;
export type DsType = (typeof DS_TYPES)[number];

/** Consolidation functions. Persisted by index: append only. */
export const CONSOLIDATION_FUNCTIONS = ['AVERAGE', 'MIN', 'MAX', 'LAST'] as const;
export type ConsolidationFunction = (typeof CONSOLIDATION_FUNCTIONS)[number];

/** rrdtool's limit: DS names are 1 to 19 characters of [-a-zA-Z0-9_]. */
export const DS_NAME_PATTERN = /^[-a-zA-Z0-9_]{1,19}$/;

/** One data source (DS): a value measured at every update. */
export interface DataSourceDefinition {
  readonly name: string;
  readonly type: DsType;
  /** Longest interval in seconds between two updates before the time between them is UNKNOWN. */
  readonly heartbeat: number;
  /** Rates below this are stored as UNKNOWN. NaN: no minimum. */
  readonly min: number;
  /** Rates above this are stored as UNKNOWN. NaN: no maximum. */
  readonly max: number;
}

/** One round-robin archive (RRA): `rows` consolidated data points of `pdpPerRow` steps each. */
export interface RraDefinition {
  readonly cf: ConsolidationFunction;
  /** Fraction of a row's primary data points that may be UNKNOWN while the row is still known; 0 <= xff < 1. */
  readonly xff: number;
  readonly pdpPerRow: number;
  readonly rows: number;
}

/** What an archive stores: fixed at create, never changed. */
export interface ArchiveDefinition {
  /** Seconds per primary data point (PDP). */
  readonly step: number;
  readonly dataSources: readonly DataSourceDefinition[];
  readonly rras: readonly RraDefinition[];
}

/** Largest counts the format can address (u16 counts, u32 rows and steps). */
export const LIMITS = {
  dataSources: 1024,
  rras: 1024,
  rows: 0xffff_ffff,
  step: 0xffff_ffff,
} as const;

function isWholeNumberInRange(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/** Throws InvalidDefinitionError naming the first field at fault. */
export function validateDefinition(def: ArchiveDefinition): void {
  if (!isWholeNumberInRange(def.step, 1, LIMITS.step)) {
    throw new InvalidDefinitionError(`step: must be a whole number of seconds >= 1, got ${def.step}`);
  }
  if (def.dataSources.length === 0) throw new InvalidDefinitionError('dataSources: at least one DS is required');
  if (def.rras.length === 0) throw new InvalidDefinitionError('rras: at least one RRA is required');
  if (def.dataSources.length > LIMITS.dataSources) {
    throw new InvalidDefinitionError(`dataSources: at most ${LIMITS.dataSources} are supported`);
  }
  if (def.rras.length > LIMITS.rras) throw new InvalidDefinitionError(`rras: at most ${LIMITS.rras} are supported`);
  const seen = new Set<string>();
  def.dataSources.forEach((ds, i) => {
    const at = `dataSources[${i}]`;
    if (!DS_NAME_PATTERN.test(ds.name)) {
      throw new InvalidDefinitionError(`${at}.name: '${ds.name}' must be 1-19 characters of [-a-zA-Z0-9_]`);
    }
    if (seen.has(ds.name)) throw new InvalidDefinitionError(`${at}.name: duplicate DS name '${ds.name}'`);
    seen.add(ds.name);
    if (!(DS_TYPES as readonly string[]).includes(ds.type)) {
      throw new InvalidDefinitionError(`${at}.type: '${ds.type}' is not one of ${DS_TYPES.join(', ')}`);
    }
    if (!isWholeNumberInRange(ds.heartbeat, 1, 0xffff_ffff)) {
      throw new InvalidDefinitionError(`${at}.heartbeat: must be a whole number of seconds >= 1, got ${ds.heartbeat}`);
    }
    if (typeof ds.min !== 'number' || typeof ds.max !== 'number') {
      throw new InvalidDefinitionError(`${at}: min and max must be numbers (NaN for none)`);
    }
    if (!Number.isNaN(ds.min) && !Number.isNaN(ds.max) && ds.min >= ds.max) {
      throw new InvalidDefinitionError(`${at}.min: ${ds.min} must be less than max ${ds.max}`);
    }
  });
  def.rras.forEach((rra, i) => {
    const at = `rras[${i}]`;
    if (!(CONSOLIDATION_FUNCTIONS as readonly string[]).includes(rra.cf)) {
      throw new InvalidDefinitionError(`${at}.cf: '${rra.cf}' is not one of ${CONSOLIDATION_FUNCTIONS.join(', ')}`);
    }
    if (!(rra.xff >= 0 && rra.xff < 1)) {
      throw new InvalidDefinitionError(`${at}.xff: must be >= 0 and < 1, got ${rra.xff}`);
    }
    if (!isWholeNumberInRange(rra.pdpPerRow, 1, 0xffff_ffff)) {
      throw new InvalidDefinitionError(`${at}.pdpPerRow: must be a whole number >= 1, got ${rra.pdpPerRow}`);
    }
    if (!isWholeNumberInRange(rra.rows, 1, LIMITS.rows)) {
      throw new InvalidDefinitionError(`${at}.rows: must be a whole number >= 1, got ${rra.rows}`);
    }
  });
}
