/**
 * Consolidated data points: folding closed PDPs into each RRA's CDP and
 * deciding how many rows each RRA gains, as rrdtool 1.7's
 * update_all_cdp_prep / update_cdp / update_aberrant_cdps do.
 *
 * When an update closes rows, the first row written is the CDP's "primary"
 * value and every further row (a gap spanning several rows) repeats the
 * "secondary" value: the rate of the PDPs in the gap, the same under every CF.
 */
import type { ArchiveDefinition, ConsolidationFunction } from './definition.js';
import type { ArchiveState } from './state.js';

/**
 * Updates every RRA's CDP with `elapsedSteps` PDPs of rate `pdpTemp`
 * (per DS) and writes into `rowsToWrite[r]` how many rows RRA r gains, the
 * first of them being `primary` and the others `secondary` (index
 * rra * dsCount + ds).
 * `processedPdps` is the index (time / step) of the PDP the archive was in.
 */
export function consolidate(
  def: ArchiveDefinition,
  state: ArchiveState,
  elapsedSteps: number,
  processedPdps: number,
  pdpTemp: Float64Array,
  rowsToWrite: Uint32Array,
  primary: Float64Array,
  secondary: Float64Array,
): void {
  const dsCount = def.dataSources.length;
  for (let r = 0; r < def.rras.length; r++) {
    const rra = def.rras[r];
    const pdpPerRow = rra.pdpPerRow;
    const startPdpOffset = pdpPerRow - (processedPdps % pdpPerRow);
    rowsToWrite[r] =
      startPdpOffset <= elapsedSteps ? Math.min(Math.floor((elapsedSteps - startPdpOffset) / pdpPerRow) + 1, rra.rows) : 0;
    const base = r * dsCount;
    if (pdpPerRow > 1) {
      for (let d = 0; d < dsCount; d++) {
        updateCdp(state, base + d, rra.cf, pdpTemp[d], rowsToWrite[r], elapsedSteps, startPdpOffset, pdpPerRow, rra.xff, primary, secondary);
      }
    } else {
      // One PDP per row: nothing to fold; every row written is this PDP.
      for (let d = 0; d < dsCount; d++) {
        primary[base + d] = pdpTemp[d];
        secondary[base + d] = pdpTemp[d];
      }
    }
  }
}

function updateCdp(
  state: ArchiveState,
  i: number,
  cf: ConsolidationFunction,
  pdpTemp: number,
  rowsToWrite: number,
  elapsedSteps: number,
  startPdpOffset: number,
  pdpPerRow: number,
  xff: number,
  primary: Float64Array,
  secondary: Float64Array,
): void {
  const unknownPdp = Number.isNaN(pdpTemp);
  if (rowsToWrite > 0) {
    if (unknownPdp) {
      state.cdpUnknownPdps[i] += startPdpOffset;
      secondary[i] = NaN;
    } else {
      secondary[i] = pdpTemp;
    }
    if (state.cdpUnknownPdps[i] > pdpPerRow * xff) {
      primary[i] = NaN;
    } else {
      primary[i] = primaryValue(cf, state.cdpValue[i], pdpTemp, startPdpOffset, pdpPerRow, state.cdpUnknownPdps[i]);
    }
    const carriedPdps = (elapsedSteps - startPdpOffset) % pdpPerRow;
    state.cdpValue[i] = carryOver(cf, pdpTemp, carriedPdps);
    state.cdpUnknownPdps[i] = unknownPdp ? carriedPdps : 0;
  } else if (unknownPdp) {
    state.cdpUnknownPdps[i] += elapsedSteps;
  } else {
    state.cdpValue[i] = accumulate(cf, state.cdpValue[i], pdpTemp, elapsedSteps);
  }
}

/** initialize_cdp_val: the value of the row being closed. */
function primaryValue(
  cf: ConsolidationFunction,
  cdpValue: number,
  pdpTemp: number,
  startPdpOffset: number,
  pdpPerRow: number,
  unknownPdps: number,
): number {
  switch (cf) {
    case 'AVERAGE': {
      const sum = Number.isNaN(cdpValue) ? 0 : cdpValue;
      const current = Number.isNaN(pdpTemp) ? 0 : pdpTemp;
      return (sum + current * startPdpOffset) / (pdpPerRow - unknownPdps);
    }
    case 'MAX': {
      const sofar = Number.isNaN(cdpValue) ? -Infinity : cdpValue;
      const current = Number.isNaN(pdpTemp) ? -Infinity : pdpTemp;
      return current > sofar ? current : sofar;
    }
    case 'MIN': {
      const sofar = Number.isNaN(cdpValue) ? Infinity : cdpValue;
      const current = Number.isNaN(pdpTemp) ? Infinity : pdpTemp;
      return current < sofar ? current : sofar;
    }
    case 'LAST':
      return pdpTemp;
    default: {
      const never: never = cf;
      throw new Error(`unhandled CF ${String(never)}`);
    }
  }
}

/** initialize_carry_over: the CDP value that the PDPs after the last closed row start. */
function carryOver(cf: ConsolidationFunction, pdpTemp: number, carriedPdps: number): number {
  if (carriedPdps === 0 || Number.isNaN(pdpTemp)) {
    switch (cf) {
      case 'MAX':
        return -Infinity;
      case 'MIN':
        return Infinity;
      case 'AVERAGE':
        return 0;
      case 'LAST':
        return NaN;
      default: {
        const never: never = cf;
        throw new Error(`unhandled CF ${String(never)}`);
      }
    }
  }
  return cf === 'AVERAGE' ? pdpTemp * carriedPdps : pdpTemp;
}

/** calculate_cdp_val: folds PDPs into a row that stays open. */
function accumulate(cf: ConsolidationFunction, cdpValue: number, pdpTemp: number, elapsedSteps: number): number {
  if (Number.isNaN(cdpValue)) return cf === 'AVERAGE' ? pdpTemp * elapsedSteps : pdpTemp;
  switch (cf) {
    case 'AVERAGE':
      return cdpValue + pdpTemp * elapsedSteps;
    case 'MIN':
      return pdpTemp < cdpValue ? pdpTemp : cdpValue;
    case 'MAX':
      return pdpTemp > cdpValue ? pdpTemp : cdpValue;
    case 'LAST':
      return pdpTemp;
    default: {
      const never: never = cf;
      throw new Error(`unhandled CF ${String(never)}`);
    }
  }
}
