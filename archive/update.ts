/**
 * Updating an archive: the algorithm of rrdtool 1.7's rrd_update.c,
 * sample by sample, with the rows each sample writes collected into redo
 * records that are committed in batches as large as the redo area allows.
 *
 * An update call is validated whole before anything is written: a bad value
 * or a time not after the last update refuses the call and changes nothing.
 * The call is then committed in as few redo records as it takes; a crash
 * during a call leaves a prefix of its samples applied, never part of one.
 */
import type { ArchiveFile, CommitOptions } from './archive-file.js';
import { consolidate } from './consolidate.js';
import type { ArchiveDefinition } from './definition.js';
import { InvalidUpdateError, StaleUpdateError } from './errors.js';
import { REDO_HEADER_SIZE, worstCaseRunsPerSample } from './format.js';
import { accumulatePdp, closePdps, computePdpNew } from './pdp.js';
import { RowRunCollector } from './row-runs.js';
import { splitTime } from './sample-time.js';
import { classifyValue, lastDsText, lastValuesFromText, valueColumns, type SampleValue, type ValueColumns } from './sample-values.js';
import { cloneState, type ArchiveState } from './state.js';

export type { SampleValue } from './sample-values.js';

export interface Sample {
  /**
   * Unix time in seconds; fractions are kept to the microsecond, truncated,
   * as rrdtool does (sample-time.ts). Text times go through parseTimeText
   * first, so they are read as rrdtool reads them.
   */
  readonly time: number;
  /** One value per DS in definition order, or per name of `template`. */
  readonly values: readonly SampleValue[];
}

export interface UpdateOptions extends CommitOptions {
  /** DS names the values are given for, in order; DSs not named are UNKNOWN. rrdtool's --template. */
  readonly template?: readonly string[];
}

export interface UpdateResult {
  readonly applied: number;
  readonly lastUpdate: number;
}

/** A batch reduced to what the algorithm consumes: times split as rrdtool splits them, values classified. */
interface PreparedBatch {
  readonly count: number;
  readonly seconds: Float64Array;
  readonly usec: Float64Array;
  /** Slot k * dsCount + d: DS d of sample k. */
  readonly values: ValueColumns;
}

/** Where each given value goes: DS positions from the template, or the DSs in order. */
function templatePositions(def: ArchiveDefinition, template: readonly string[] | undefined): number[] {
  if (!template) return def.dataSources.map((_, d) => d);
  const positions = template.map((name) => {
    const i = def.dataSources.findIndex((ds) => ds.name === name);
    if (i < 0) throw new InvalidUpdateError(`template: unknown DS name '${name}'`);
    return i;
  });
  if (new Set(positions).size !== positions.length) throw new InvalidUpdateError('template: a DS is named twice');
  return positions;
}

function prepare(def: ArchiveDefinition, state: ArchiveState, samples: readonly Sample[], template?: readonly string[]): PreparedBatch {
  const dsCount = def.dataSources.length;
  const positions = templatePositions(def, template);
  const count = samples.length;
  const seconds = new Float64Array(count);
  const usec = new Float64Array(count);
  const values = valueColumns(count * dsCount);
  // DSs the template leaves out are UNKNOWN (kinds start at KIND_UNKNOWN).
  let lastSeconds = state.lastUpdate;
  let lastUsec = state.lastUpdateUsec;
  for (let k = 0; k < count; k++) {
    const sample = samples[k];
    const time = sample.time;
    if (typeof time !== 'number' || !Number.isFinite(time) || time <= 0) {
      throw new InvalidUpdateError(`sample ${k}: time must be a positive number of seconds, got ${String(time)}`);
    }
    const { seconds: s, usec: u } = splitTime(time);
    if (s < lastSeconds || (s === lastSeconds && u <= lastUsec)) {
      throw new StaleUpdateError(
        `sample ${k}: illegal attempt to update using time ${time} when last update time is ${lastSeconds + lastUsec / 1e6} (minimum one second step)`,
        time,
        lastSeconds + lastUsec / 1e6,
      );
    }
    seconds[k] = lastSeconds = s;
    usec[k] = lastUsec = u;
    const given = sample.values;
    if (!Array.isArray(given) || given.length !== positions.length) {
      throw new InvalidUpdateError(`sample ${k}: expected ${positions.length} values, got ${Array.isArray(given) ? given.length : 'none'}`);
    }
    for (let j = 0; j < positions.length; j++) {
      const d = positions[j];
      try {
        classifyValue(def.dataSources[d], given[j], values, k * dsCount + d);
      } catch (e) {
        if (e instanceof InvalidUpdateError) throw new InvalidUpdateError(`sample ${k}: ${e.message}`);
        throw e;
      }
    }
  }
  return { count, seconds, usec, values };
}

/** Scratch arrays for one archive's update loop, allocated once per call. */
class UpdateScratch {
  readonly pdpNew: Float64Array;
  readonly openPdpNew: Float64Array;
  readonly pdpTemp: Float64Array;
  readonly rowsToWrite: Uint32Array;
  readonly primary: Float64Array;
  readonly secondary: Float64Array;
  /** Per DS, the last value so far; written back to the state's last_ds texts at each commit. */
  readonly last: ValueColumns;
  constructor(def: ArchiveDefinition, state: ArchiveState) {
    const dsCount = def.dataSources.length;
    const rraCount = def.rras.length;
    this.pdpNew = new Float64Array(dsCount);
    this.openPdpNew = new Float64Array(dsCount);
    this.pdpTemp = new Float64Array(dsCount);
    this.rowsToWrite = new Uint32Array(rraCount);
    this.primary = new Float64Array(dsCount * rraCount);
    this.secondary = new Float64Array(dsCount * rraCount);
    this.last = lastValuesFromText(def.dataSources, state.lastDs);
  }

  /** A copy of `state` with the last values as text, ready to commit. */
  snapshot(state: ArchiveState): ArchiveState {
    const copy = cloneState(state);
    for (let d = 0; d < copy.lastDs.length; d++) copy.lastDs[d] = lastDsText(this.last.kinds[d], this.last.given[d]);
    return copy;
  }
}

/**
 * Applies samples to an open archive. Throws InvalidUpdateError (or
 * StaleUpdateError) before writing anything when any sample is bad.
 */
export function updateArchiveFile(file: ArchiveFile, samples: readonly Sample[], options: UpdateOptions = {}): UpdateResult {
  const def = file.definition;
  const prepared = prepare(def, file.state, samples, options.template);
  if (prepared.count === 0) return { applied: 0, lastUpdate: file.state.lastUpdate };
  const { dsCount, rraCount, redoCapacity, stateSize } = file.layout;
  const inlineRoom = redoCapacity - REDO_HEADER_SIZE - stateSize;
  const reserve = worstCaseRunsPerSample(dsCount, rraCount);
  // A few commits through the redo area are cheaper than creating a sidecar; past that, one sidecar commit is.
  const maxInlineCommits = file.hasSidecar ? 1 : 3;
  const state = file.workingState();
  const scratch = new UpdateScratch(def, state);
  const rows = new RowRunCollector(dsCount, rraCount);
  /** Where inline commits would split the call: the state then and how many runs and bytes came before. */
  let splits: Array<{ state: ArchiveState; runs: number; bytes: number }> = [];
  let sinceSplit = 0;
  let external = false;
  let sinceCommit = 0;
  const commitAll = (): void => {
    let runStart = 0;
    let bytesStart = 0;
    for (const split of external ? [] : splits) {
      split.state.seq = file.state.seq + 1;
      file.commit(split.state, rows.runs.slice(runStart, split.runs), split.bytes - bytesStart, options);
      runStart = split.runs;
      bytesStart = split.bytes;
    }
    const final = scratch.snapshot(state);
    final.seq = file.state.seq + 1;
    file.commit(final, rows.runs.slice(runStart), rows.bytes - bytesStart, options);
    rows.clear();
    splits = [];
    sinceSplit = 0;
    sinceCommit = 0;
  };
  for (let k = 0; k < prepared.count; k++) {
    if (!external && rows.bytes - sinceSplit + reserve > inlineRoom) {
      if (splits.length + 1 >= maxInlineCommits) {
        external = true;
      } else {
        rows.seal();
        splits.push({ state: scratch.snapshot(state), runs: rows.runs.length, bytes: rows.bytes });
        sinceSplit = rows.bytes;
      }
    }
    if (sinceCommit === MAX_SAMPLES_PER_COMMIT) commitAll();
    applySample(def, state, prepared, k, scratch, rows);
    sinceCommit++;
  }
  commitAll();
  return { applied: prepared.count, lastUpdate: file.state.lastUpdate + file.state.lastUpdateUsec / 1e6 };
}

/** Bounds the memory of one commit; a larger call is committed in several. */
const MAX_SAMPLES_PER_COMMIT = 100_000;

/** One sample through rrdtool's process_arg. */
function applySample(
  def: ArchiveDefinition,
  state: ArchiveState,
  batch: PreparedBatch,
  k: number,
  scratch: UpdateScratch,
  rows: RowRunCollector,
): void {
  const step = def.step;
  const width = def.dataSources.length;
  const seconds = batch.seconds[k];
  const usec = batch.usec[k];
  const { pdpNew, openPdpNew } = scratch;
  let interval = seconds - state.lastUpdate + (usec - state.lastUpdateUsec) / 1e6;
  computePdpNew(def.dataSources, scratch.last, batch.values, k, interval, pdpNew);

  // calculate_elapsed_steps
  const processedPdpStart = state.lastUpdate - (state.lastUpdate % step);
  const occurredPdpAge = seconds % step;
  const occurredPdpStart = seconds - occurredPdpAge;
  let preInterval: number;
  let postInterval: number;
  if (occurredPdpStart > processedPdpStart) {
    preInterval = occurredPdpStart - state.lastUpdate - state.lastUpdateUsec / 1e6;
    postInterval = occurredPdpAge + usec / 1e6;
  } else {
    preInterval = interval;
    postInterval = 0;
  }
  let processedPdps = processedPdpStart / step;
  let elapsedSteps = (occurredPdpStart - processedPdpStart) / step;

  if (elapsedSteps === 0) {
    accumulatePdp(state, interval, pdpNew);
  } else {
    if (elapsedSteps > 1) {
      // rrdtool closes a partly filled first PDP on its own (the "JKammler" fix), then the rest.
      const openSeconds = Math.trunc(preInterval) % step;
      if (openSeconds > 0) {
        for (let d = 0; d < width; d++) {
          if (!Number.isNaN(pdpNew[d]) && interval > 0) {
            openPdpNew[d] = (pdpNew[d] * openSeconds) / interval;
            pdpNew[d] -= openPdpNew[d];
          } else {
            openPdpNew[d] = NaN;
          }
        }
        closeAndWrite(def, state, openSeconds, openSeconds, 0, 1, processedPdps, openPdpNew, scratch, rows);
        interval -= openSeconds;
        preInterval -= openSeconds;
        elapsedSteps--;
        processedPdps++;
      }
    }
    closeAndWrite(def, state, interval, preInterval, postInterval, elapsedSteps, processedPdps, pdpNew, scratch, rows);
  }
  state.lastUpdate = seconds;
  state.lastUpdateUsec = usec;
}

/** process_all_pdp_st + update_all_cdp_prep + write_to_rras. */
function closeAndWrite(
  def: ArchiveDefinition,
  state: ArchiveState,
  interval: number,
  preInterval: number,
  postInterval: number,
  elapsedSteps: number,
  processedPdps: number,
  pdpNew: Float64Array,
  scratch: UpdateScratch,
  rows: RowRunCollector,
): void {
  const { pdpTemp, rowsToWrite, primary, secondary } = scratch;
  closePdps(def.dataSources, state, def.step, interval, preInterval, postInterval, elapsedSteps, pdpNew, pdpTemp);
  consolidate(def, state, elapsedSteps, processedPdps, pdpTemp, rowsToWrite, primary, secondary);
  const width = def.dataSources.length;
  for (let r = 0; r < def.rras.length; r++) {
    const n = rowsToWrite[r];
    if (n === 0) continue;
    const ringRows = def.rras[r].rows;
    const first = (state.currentRow[r] + 1) % ringRows;
    rows.addRow(r, first, primary, r * width);
    if (n > 1) rows.addFill(r, (first + 1) % ringRows, n - 1, secondary, r * width);
    state.currentRow[r] = (state.currentRow[r] + n) % ringRows;
  }
}
