/**
 * Primary data points: turning one update's raw values into rate x seconds
 * (`pdpNew`) and folding them into the PDP being built, exactly as rrdtool
 * 1.7's rrd_update.c does (update_pdp_prep, simple_update, process_pdp_st).
 */
import type { DataSourceDefinition } from './definition.js';
import {
  KIND_NUMBER,
  KIND_UNKNOWN,
  lastDsText,
  rememberValue,
  type ValueColumns,
} from './sample-values.js';
import type { ArchiveState } from './state.js';
import { decimalDifference } from './value-text.js';

/**
 * update_pdp_prep: fills `pdpNew` (rate x seconds over `interval`, NaN when
 * unknown) from sample `k` of `values` and makes its values the last ones.
 */
export function computePdpNew(
  dataSources: readonly DataSourceDefinition[],
  last: ValueColumns,
  values: ValueColumns,
  k: number,
  interval: number,
  pdpNew: Float64Array,
): void {
  const width = dataSources.length;
  for (let d = 0; d < width; d++) {
    const ds = dataSources[d];
    // rrdtool never builds a difference with a value older than the heartbeat.
    if (ds.heartbeat < interval) last.kinds[d] = KIND_UNKNOWN;
    const i = k * width + d;
    const kind = values.kinds[i];
    let next = NaN;
    if (kind !== KIND_UNKNOWN && ds.heartbeat >= interval) {
      let rate = NaN;
      const v = values.numbers[i];
      switch (ds.type) {
        case 'COUNTER':
        case 'DERIVE':
          if (last.kinds[d] !== KIND_UNKNOWN) {
            next = integerDifference(values, i, last, d);
            if (ds.type === 'COUNTER') {
              // rrdtool's overflow catcher: adds 2^32-1 (sic), then 2^64-2^32.
              if (next < 0) next += 4294967295.0;
              if (next < 0) next += 18446744069414584320.0;
            }
            rate = next / interval;
          }
          break;
        case 'ABSOLUTE':
          next = v;
          rate = next / interval;
          break;
        case 'GAUGE':
          next = v * interval;
          rate = v;
          break;
        case 'DCOUNTER':
        case 'DDERIVE':
          if (last.kinds[d] !== KIND_UNKNOWN) {
            const old = last.numbers[d];
            const reset = ds.type === 'DCOUNTER' && ((v > 0 && old > v) || (v < 0 && v > old));
            if (!reset) {
              next = v - old;
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
    rememberValue(ds, values, i, last, d);
  }
}

/** rrd_diff's sign: the text had a minus, which "-0" has too. */
function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** New minus last of a COUNTER/DERIVE, as rrd_diff computes it: NaN when the signs differ. */
function integerDifference(values: ValueColumns, i: number, last: ValueColumns, d: number): number {
  if (values.kinds[i] === KIND_NUMBER && last.kinds[d] === KIND_NUMBER) {
    const a = values.numbers[i];
    const b = last.numbers[d];
    // Safe integers: the difference is exact, as rrd_diff's digit-by-digit one is.
    return isNegative(a) !== isNegative(b) ? NaN : a - b;
  }
  return decimalDifference(lastDsText(values.kinds[i], values.given[i]), lastDsText(last.kinds[d], last.given[d]));
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
