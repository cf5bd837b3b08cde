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
import { UNKNOWN, accumulatePdp, checkRawValue, closePdps, computePdpNew } from './pdp.js';
import { RowRunCollector } from './row-runs.js';
import { cloneState, type ArchiveState } from './state.js';

/** A value as callers give it: a number, an exact integer, rrdtool's text form, or null for UNKNOWN. */
export type SampleValue = number | bigint | string | null | undefined;

export interface Sample {
  /** Unix time in seconds; fractions are kept to the microsecond, as rrdtool does. */
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

/** A sample reduced to what the algorithm consumes. */
interface PreparedSample {
  readonly seconds: number;
  readonly usec: number;
  readonly raw: string[];
}

export function rawValue(v: SampleValue): string {
  if (v === null || v === undefined) return UNKNOWN;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return UNKNOWN;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** Splits a time into rrdtool's whole seconds and truncated microseconds. */
export function splitTime(time: number): { seconds: number; usec: number } {
  const seconds = Math.floor(time);
  return { seconds, usec: Math.trunc((time - seconds) * 1e6) };
}

function prepare(def: ArchiveDefinition, state: ArchiveState, samples: readonly Sample[], template?: readonly string[]): PreparedSample[] {
  const dsCount = def.dataSources.length;
  let positions: number[] | undefined;
  if (template) {
    positions = template.map((name) => {
      const i = def.dataSources.findIndex((ds) => ds.name === name);
      if (i < 0) throw new InvalidUpdateError(`template: unknown DS name '${name}'`);
      return i;
    });
    if (new Set(positions).size !== positions.length) throw new InvalidUpdateError('template: a DS is named twice');
  }
  const expected = positions ? positions.length : dsCount;
  let lastSeconds = state.lastUpdate;
  let lastUsec = state.lastUpdateUsec;
  return samples.map((sample, index) => {
    const at = `sample ${index}`;
    if (typeof sample.time !== 'number' || !Number.isFinite(sample.time) || sample.time <= 0) {
      throw new InvalidUpdateError(`${at}: time must be a positive number of seconds, got ${String(sample.time)}`);
    }
    const { seconds, usec } = splitTime(sample.time);
    if (seconds < lastSeconds || (seconds === lastSeconds && usec <= lastUsec)) {
      throw new StaleUpdateError(
        `${at}: illegal attempt to update using time ${sample.time} when last update time is ${lastSeconds + lastUsec / 1e6} (minimum one second step)`,
        sample.time,
        lastSeconds + lastUsec / 1e6,
      );
    }
    lastSeconds = seconds;
    lastUsec = usec;
    if (!Array.isArray(sample.values) || sample.values.length !== expected) {
      throw new InvalidUpdateError(`${at}: expected ${expected} values, got ${Array.isArray(sample.values) ? sample.values.length : 'none'}`);
    }
    const raw = new Array<string>(dsCount).fill(UNKNOWN);
    sample.values.forEach((v, i) => {
      const d = positions ? positions[i] : i;
      raw[d] = rawValue(v);
    });
    for (let d = 0; d < dsCount; d++) {
      try {
        checkRawValue(def.dataSources[d], raw[d]);
      } catch (e) {
        if (e instanceof InvalidUpdateError) throw new InvalidUpdateError(`${at}: ${e.message}`);
        throw e;
      }
    }
    return { seconds, usec, raw };
  });
}

/** Scratch arrays for one archive's update loop, allocated once per call. */
class UpdateScratch {
  readonly pdpNew: Float64Array;
  readonly openPdpNew: Float64Array;
  readonly pdpTemp: Float64Array;
  readonly rowsToWrite: Uint32Array;
  readonly primary: Float64Array;
  readonly secondary: Float64Array;
  constructor(dsCount: number, rraCount: number) {
    this.pdpNew = new Float64Array(dsCount);
    this.openPdpNew = new Float64Array(dsCount);
    this.pdpTemp = new Float64Array(dsCount);
    this.rowsToWrite = new Uint32Array(rraCount);
    this.primary = new Float64Array(dsCount * rraCount);
    this.secondary = new Float64Array(dsCount * rraCount);
  }
}

/**
 * Applies samples to an open archive. Throws InvalidUpdateError (or
 * StaleUpdateError) before writing anything when any sample is bad.
 */
export function updateArchiveFile(file: ArchiveFile, samples: readonly Sample[], options: UpdateOptions = {}): UpdateResult {
  const def = file.definition;
  const prepared = prepare(def, file.state, samples, options.template);
  if (prepared.length === 0) return { applied: 0, lastUpdate: file.state.lastUpdate };
  const { dsCount, rraCount, redoCapacity, stateSize } = file.layout;
  const inlineRoom = redoCapacity - REDO_HEADER_SIZE - stateSize;
  const reserve = worstCaseRunsPerSample(dsCount, rraCount);
  // A few commits through the redo area are cheaper than creating a sidecar; past that, one sidecar commit is.
  const maxInlineCommits = file.hasSidecar ? 1 : 3;
  const scratch = new UpdateScratch(dsCount, rraCount);
  const rows = new RowRunCollector(dsCount, rraCount);
  const state = file.workingState();
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
    const last = cloneState(state);
    last.seq = file.state.seq + 1;
    file.commit(last, rows.runs.slice(runStart), rows.bytes - bytesStart, options);
    rows.clear();
    splits = [];
    sinceSplit = 0;
    sinceCommit = 0;
  };
  for (const sample of prepared) {
    if (!external && rows.bytes - sinceSplit + reserve > inlineRoom) {
      if (splits.length + 1 >= maxInlineCommits) {
        external = true;
      } else {
        rows.seal();
        splits.push({ state: cloneState(state), runs: rows.runs.length, bytes: rows.bytes });
        sinceSplit = rows.bytes;
      }
    }
    if (sinceCommit === MAX_SAMPLES_PER_COMMIT) commitAll();
    applySample(def, state, sample, scratch, rows);
    sinceCommit++;
  }
  commitAll();
  return { applied: prepared.length, lastUpdate: file.state.lastUpdate + file.state.lastUpdateUsec / 1e6 };
}

/** Bounds the memory of one commit; a larger call is committed in several. */
const MAX_SAMPLES_PER_COMMIT = 100_000;

/** One sample through rrdtool's process_arg. */
function applySample(def: ArchiveDefinition, state: ArchiveState, sample: PreparedSample, scratch: UpdateScratch, rows: RowRunCollector): void {
  const step = def.step;
  const { pdpNew, openPdpNew } = scratch;
  let interval = sample.seconds - state.lastUpdate + (sample.usec - state.lastUpdateUsec) / 1e6;
  computePdpNew(def.dataSources, state, sample.raw, interval, pdpNew);

  // calculate_elapsed_steps
  const processedPdpStart = state.lastUpdate - (state.lastUpdate % step);
  const occurredPdpAge = sample.seconds % step;
  const occurredPdpStart = sample.seconds - occurredPdpAge;
  let preInterval: number;
  let postInterval: number;
  if (occurredPdpStart > processedPdpStart) {
    preInterval = occurredPdpStart - state.lastUpdate - state.lastUpdateUsec / 1e6;
    postInterval = occurredPdpAge + sample.usec / 1e6;
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
        for (let d = 0; d < dsCount(def); d++) {
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
  state.lastUpdate = sample.seconds;
  state.lastUpdateUsec = sample.usec;
}

function dsCount(def: ArchiveDefinition): number {
  return def.dataSources.length;
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
  const width = dsCount(def);
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
