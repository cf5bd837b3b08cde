/**
 * Primary data points: turning one update's raw values into rate x seconds
 * (`pdpNew`) and folding them into the PDP being built, exactly as rrdtool
 * 1.7's rrd_update.c does (update_pdp_prep, simple_update, process_pdp_st).
 */
import type { DataSourceDefinition } from './definition.js';
import { InvalidUpdateError } from './errors.js';
import { LAST_DS_BYTES } from './format.js';
import type { ArchiveState } from './state.js';

/** The raw form of an UNKNOWN value, as in rrdtool. */
export const UNKNOWN = 'U';

const FLOAT_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_FLOATS: Record<string, number> = { nan: NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

/** Parses a GAUGE/ABSOLUTE/DCOUNTER/DDERIVE value; undefined when it is not a number. */
export function parseFloatValue(raw: string): number | undefined {
  if (FLOAT_PATTERN.test(raw)) return Number(raw);
  const special = SPECIAL_FLOATS[raw.toLowerCase()];
  return special;
}

const UNSIGNED_INTEGER = /^\d+$/;
const SIGNED_INTEGER = /^-?\d+$/;

/**
 * Checks one raw value against its DS type before anything is applied.
 * Throws InvalidUpdateError naming the DS and the value.
 */
export function checkRawValue(ds: DataSourceDefinition, raw: string): void {
  if (raw === UNKNOWN) return;
  switch (ds.type) {
    case 'COUNTER':
      if (!UNSIGNED_INTEGER.test(raw)) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not an unsigned integer (COUNTER)`);
      return;
    case 'DERIVE':
      if (!SIGNED_INTEGER.test(raw)) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not a signed integer (DERIVE)`);
      return;
    case 'GAUGE':
    case 'ABSOLUTE':
    case 'DCOUNTER':
    case 'DDERIVE':
      if (parseFloatValue(raw) === undefined) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not a number`);
      return;
    default: {
      const never: never = ds.type;
      throw new Error(`unhandled DS type ${String(never)}`);
    }
  }
}

/** rrdtool's LAST_DS_LEN - 1: longer raw values are cut, as rrdtool cuts them. */
const LAST_DS_CHARS = LAST_DS_BYTES - 1;

/**
 * a - b for decimal integer strings, as rrdtool's rrd_diff: digits after any
 * leading sign, NaN when either has none, when their signs differ, or when
 * either is longer than 30 digits.
 */
export function decimalDifference(a: string, b: string): number {
  const pa = digitsOf(a);
  const pb = digitsOf(b);
  if (!pa || !pb) return NaN;
  if (pa.negative !== pb.negative) return NaN;
  if (Math.max(pa.digits.length, pb.digits.length) > 30) return NaN;
  const diff = Number(BigInt(pa.digits) - BigInt(pb.digits));
  return pa.negative ? -diff : diff;
}

function digitsOf(s: string): { digits: string; negative: boolean } | undefined {
  let i = 0;
  let negative = false;
  while (i < s.length && !(s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)) {
    if (s[i] === '-') negative = true;
    i++;
  }
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j === i) return undefined;
  return { digits: s.slice(i, j), negative };
}

/**
 * update_pdp_prep: fills `pdpNew` (rate x seconds over `interval`, NaN when
 * unknown) and records the raw values as the new last values.
 */
export function computePdpNew(
  dataSources: readonly DataSourceDefinition[],
  state: ArchiveState,
  raw: readonly string[],
  interval: number,
  pdpNew: Float64Array,
): void {
  for (let d = 0; d < dataSources.length; d++) {
    const ds = dataSources[d];
    if (ds.heartbeat < interval) state.lastDs[d] = UNKNOWN;
    const value = raw[d];
    let next = NaN;
    if (value !== UNKNOWN && ds.heartbeat >= interval) {
      let rate = NaN;
      const last = state.lastDs[d];
      switch (ds.type) {
        case 'COUNTER':
        case 'DERIVE':
          if (last !== UNKNOWN) {
            next = decimalDifference(value, last);
            if (ds.type === 'COUNTER') {
              // rrdtool's overflow catcher: adds 2^32-1 (sic), then 2^64-2^32.
              if (next < 0) next += 4294967295.0;
              if (next < 0) next += 18446744069414584320.0;
            }
            rate = next / interval;
          }
          break;
        case 'ABSOLUTE':
          next = parseFloatValue(value)!;
          rate = next / interval;
          break;
        case 'GAUGE': {
          const v = parseFloatValue(value)!;
          next = v * interval;
          rate = v;
          break;
        }
        case 'DCOUNTER':
        case 'DDERIVE':
          if (last !== UNKNOWN) {
            const newValue = parseFloatValue(value)!;
            const oldValue = parseFloatValue(last) ?? NaN;
            const reset = ds.type === 'DCOUNTER' && ((newValue > 0 && oldValue > newValue) || (newValue < 0 && newValue > oldValue));
            if (!reset) {
              next = newValue - oldValue;
              rate = next / interval;
            }
          }
          break;
        default: {
          const never: never = ds.type;
          throw new Error(`unhandled DS type ${String(never)}`);
        }
      }
      if (!Number.isNaN(rate) && ((!Number.isNaN(ds.max) && rate > ds.max) || (!Number.isNaN(ds.min) && rate < ds.min))) {
        next = NaN;
      }
    }
    pdpNew[d] = next;
    state.lastDs[d] = value.length > LAST_DS_CHARS ? value.slice(0, LAST_DS_CHARS) : value;
  }
}

/** simple_update: an update that stays inside the current PDP. */
export function accumulatePdp(state: ArchiveState, interval: number, pdpNew: Float64Array): void {
  for (let d = 0; d < pdpNew.length; d++) {
    const v = pdpNew[d];
    if (Number.isNaN(v)) {
      state.pdpUnknownSeconds[d] += Math.floor(interval);
    } else if (Number.isNaN(state.pdpValue[d])) {
      state.pdpValue[d] = v;
    } else {
      state.pdpValue[d] += v;
    }
  }
}

/**
 * process_pdp_st: closes the PDP(s) that `elapsedSteps` step boundaries
 * ended, writing each DS's rate for them into `pdpTemp`, and starts the next
 * PDP with the part of the update after the last boundary.
 */
export function closePdps(
  dataSources: readonly DataSourceDefinition[],
  state: ArchiveState,
  step: number,
  interval: number,
  preInterval: number,
  postInterval: number,
  elapsedSteps: number,
  pdpNew: Float64Array,
  pdpTemp: Float64Array,
): void {
  const elapsedSeconds = elapsedSteps * step;
  for (let d = 0; d < dataSources.length; d++) {
    const heartbeat = dataSources[d].heartbeat;
    const v = pdpNew[d];
    let preUnknown = 0;
    if (Number.isNaN(v)) {
      preUnknown = preInterval;
    } else {
      if (Number.isNaN(state.pdpValue[d])) state.pdpValue[d] = 0;
      state.pdpValue[d] += (v / interval) * preInterval;
    }
    const unknownSeconds = state.pdpUnknownSeconds[d];
    if (interval > heartbeat || step / 2 < unknownSeconds) {
      pdpTemp[d] = NaN;
    } else {
      pdpTemp[d] = state.pdpValue[d] / (elapsedSeconds - unknownSeconds - preUnknown);
    }
    if (Number.isNaN(v)) {
      state.pdpUnknownSeconds[d] = Math.floor(postInterval);
      state.pdpValue[d] = NaN;
    } else {
      state.pdpUnknownSeconds[d] = 0;
      state.pdpValue[d] = (v / interval) * postInterval;
    }
  }
}
