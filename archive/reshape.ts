/**
 * Reshaping an archive: a new definition (step, RRAs, heartbeats, min/max)
 * for an existing archive, keeping its history. rrdtool has only `tune`
 * (heartbeat, min/max) and `resize` (one RRA's row count); this rebuilds
 * every RRA.
 *
 * Contract of reshapeArchive(path, definition):
 * - The data sources keep their names and types (matched by name; the
 *   order may change); heartbeat, min and max may change and apply to
 *   later updates only: stored history is not re-checked against them.
 *   Anything else is an InvalidDefinitionError naming the DS.
 * - Each new row is filled from the old archive (see reshape-sources.ts):
 *   an old RRA of the same resolution and CF first (copied exactly), then
 *   the finest old RRA that covers the row's time, consolidated by the new
 *   RRA's CF; old single-PDP RRAs serve every CF. A new row more unknown
 *   than its xff allows (for single-PDP rows: more than half a step, the
 *   PDP rule) is UNKNOWN, and so is time no old RRA covers.
 * - The live state is carried: the last update time and raw values (so a
 *   COUNTER continues), and, when the step is unchanged, the PDP in
 *   progress exactly. When the step changes, the new PDP in progress spans
 *   from the last step boundary of the new step to the last update and is
 *   filled with the old archive's rate over that span (its unknown part
 *   stays unknown); each new RRA's CDP in progress is rebuilt the same way
 *   from the old data, or copied from an old RRA of the same step, CF and
 *   PDPs per row.
 * - The swap is crash-safe: the new archive is written beside the old one
 *   (lib/durable-file's temporaryPath, FILE_MODE), synced, renamed over it
 *   and the directory synced (ArchiveFile.write), so a crash at any instant
 *   leaves the whole old archive or the whole new one. A kill may leave a
 *   hidden `.NAME.*.tmp` file behind, never a damaged archive.
 * - The caller keeps writers away from the file meanwhile (the server holds
 *   the series while it reshapes): an update made to the old file after it
 *   was read would be lost with the old file. A handle opened on the old
 *   file before the swap goes on reading the old file: reopen it after.
 */
import { rmSync } from 'node:fs';
import { ArchiveFile, sidecarPath } from './archive-file.js';
import { validateDefinition, type ArchiveDefinition, type ConsolidationFunction, type RraDefinition } from './definition.js';
import { InvalidDefinitionError } from './errors.js';
import { SpanFolder, layer, type Source } from './reshape-sources.js';
import { emptyState, type ArchiveState } from './state.js';

export interface ReshapeOptions {
  /** fdatasync the new file and fsync its directory before returning; default true (see CreateOptions.sync). */
  readonly sync?: boolean;
}

export interface ReshapeResult {
  readonly before: ArchiveDefinition;
  readonly after: ArchiveDefinition;
  /** Known (not UNKNOWN) values written into the new rings, all RRAs and DS together. */
  readonly knownValues: number;
}

/** The new archive's contents, built from an open old one; nothing is written. */
export interface ReshapedArchive {
  readonly state: ArchiveState;
  /** Per new RRA, its rows oldest first (slot order with the newest in the last slot). */
  readonly rings: Float64Array[];
  readonly knownValues: number;
}

/** Reshapes the archive at `path` to `definition` in place (see the contract above). */
export function reshapeArchive(path: string, definition: ArchiveDefinition, options: ReshapeOptions = {}): ReshapeResult {
  validateDefinition(definition);
  const file = ArchiveFile.open(path);
  let built: ReshapedArchive;
  const before = file.definition;
  try {
    built = reshapeFromFile(file, definition);
  } finally {
    file.close();
  }
  ArchiveFile.write(path, definition, built.state, built.rings, { overwrite: true, sync: options.sync ?? true });
  // A reader saw an interrupted commit's rows from the sidecar; the new file has no redo record that refers to it.
  rmSync(sidecarPath(path), { force: true });
  return { before, after: definition, knownValues: built.knownValues };
}

/** For each new DS, the index of the old DS of the same name; refuses a change of names or types. */
export function dataSourceMap(before: ArchiveDefinition, after: ArchiveDefinition): number[] {
  const names = before.dataSources.map((ds) => ds.name);
  const map = after.dataSources.map((ds, i) => {
    const old = names.indexOf(ds.name);
    if (old < 0) throw new InvalidDefinitionError(`dataSources[${i}].name: '${ds.name}' is not a DS of the archive (${names.join(', ')}); a reshape keeps the data sources`);
    if (before.dataSources[old].type !== ds.type) {
      throw new InvalidDefinitionError(`dataSources[${i}].type: '${ds.name}' is ${before.dataSources[old].type} in the archive, not ${ds.type}; a reshape keeps DS types`);
    }
    return old;
  });
  const missing = names.filter((name) => !after.dataSources.some((ds) => ds.name === name));
  if (missing.length > 0) throw new InvalidDefinitionError(`dataSources: '${missing[0]}' of the archive is missing; a reshape keeps the data sources`);
  return map;
}

interface Ranked {
  readonly source: Source;
  /** Seconds per row of the old RRA it comes from; the PDP in progress counts as one step. */
  readonly rowSeconds: number;
  readonly cf: ConsolidationFunction | undefined;
  readonly pdpPerRow: number;
}

/** The old archive's sources: each RRA's ring and CDP in progress, and the PDP in progress. */
function oldSources(file: ArchiveFile): Ranked[] {
  const { definition: def, state } = file;
  const width = def.dataSources.length;
  const last = state.lastUpdate;
  const pdpStart = last - (last % def.step);
  const out: Ranked[] = [];
  def.rras.forEach((rra, r) => {
    const rowSeconds = def.step * rra.pdpPerRow;
    const calEnd = last - (last % rowSeconds);
    const values = file.readRows(r, state.currentRow[r] + 1, rra.rows);
    out.push({ source: { lo: calEnd - rra.rows * rowSeconds, rowSeconds, rows: rra.rows, values }, rowSeconds, cf: rra.cf, pdpPerRow: rra.pdpPerRow });
    const pdps = (pdpStart - calEnd) / def.step;
    if (rra.pdpPerRow === 1 || pdps <= 0) return;
    const value = new Float64Array(width);
    const known = new Float64Array(width);
    for (let d = 0; d < width; d++) {
      const knownPdps = pdps - state.cdpUnknownPdps[r * width + d];
      const c = state.cdpValue[r * width + d];
      value[d] = knownPdps > 0 && Number.isFinite(c) ? (rra.cf === 'AVERAGE' ? c / knownPdps : c) : NaN;
      known[d] = Math.max(0, Math.min(1, knownPdps / pdps));
    }
    out.push({ source: { lo: calEnd, rowSeconds: pdpStart - calEnd, rows: 1, values: value, known }, rowSeconds, cf: rra.cf, pdpPerRow: rra.pdpPerRow });
  });
  if (last > pdpStart) {
    const span = last + state.lastUpdateUsec / 1e6 - pdpStart;
    const value = new Float64Array(width);
    const known = new Float64Array(width);
    for (let d = 0; d < width; d++) {
      const knownSeconds = span - state.pdpUnknownSeconds[d];
      value[d] = knownSeconds > 0 && Number.isFinite(state.pdpValue[d]) ? state.pdpValue[d] / knownSeconds : NaN;
      known[d] = Math.max(0, Math.min(1, knownSeconds / span));
    }
    out.push({ source: { lo: pdpStart, rowSeconds: last - pdpStart, rows: 1, values: value, known }, rowSeconds: def.step, cf: undefined, pdpPerRow: 1 });
  }
  return out;
}

/**
 * The sources a new RRA of `cf` and `rowSeconds` reads, most preferred
 * first: same resolution, then finer before coarser, the same CF before a
 * single-PDP RRA of another, longer history first.
 */
function preferred(sources: readonly Ranked[], cf: ConsolidationFunction, rowSeconds: number): Source[] {
  const usable = sources.filter((s) => s.pdpPerRow === 1 || s.cf === cf);
  const key = (s: Ranked): number[] => [s.rowSeconds === rowSeconds ? 0 : 1, s.rowSeconds, s.cf === cf ? 0 : 1, -s.source.rows];
  return usable
    .map((s) => ({ s, k: key(s) }))
    .sort((x, y) => {
      for (let i = 0; i < x.k.length; i++) if (x.k[i] !== y.k[i]) return x.k[i] - y.k[i];
      return 0;
    })
    .map(({ s }) => s.source);
}

/** Builds the new archive's state and rings from the open old archive `file`. */
export function reshapeFromFile(file: ArchiveFile, definition: ArchiveDefinition): ReshapedArchive {
  validateDefinition(definition);
  const old = file.definition;
  const dsMap = dataSourceMap(old, definition);
  const oldWidth = old.dataSources.length;
  const width = definition.dataSources.length;
  const step = definition.step;
  const sources = oldSources(file);
  const last = file.state.lastUpdate;
  const pdpStart = last - (last % step);
  const state = emptyState(width, definition.rras.length);
  state.seq = file.state.seq;
  state.lastUpdate = last;
  state.lastUpdateUsec = file.state.lastUpdateUsec;
  dsMap.forEach((o, d) => (state.lastDs[d] = file.state.lastDs[o]));
  let knownValues = 0;
  const rings = definition.rras.map((rra, r) => {
    const rowSeconds = step * rra.pdpPerRow;
    const folder = new SpanFolder(layer(preferred(sources, rra.cf, rowSeconds)), rra.cf, dsMap, oldWidth);
    const ring = new Float64Array(rra.rows * width);
    const calEnd = last - (last % rowSeconds);
    const first = calEnd - rra.rows * rowSeconds;
    // rrdtool's rules for an unknown row: a PDP more than half unknown; a CDP with more unknown PDPs than xff allows.
    const allowed = rra.pdpPerRow === 1 ? step / 2 : rowSeconds * rra.xff;
    for (let j = 0; j < rra.rows; j++) {
      const a = first + j * rowSeconds;
      const folded = folder.fold(a, a + rowSeconds);
      for (let d = 0; d < width; d++) {
        const ok = rowSeconds - folded.knownSeconds[d] <= allowed && !Number.isNaN(folded.values[d]);
        ring[j * width + d] = ok ? folded.values[d] : NaN;
        if (ok) knownValues++;
      }
    }
    state.currentRow[r] = rra.rows - 1;
    carryCdp(file, step, rra, r, dsMap, state, folder, calEnd, pdpStart);
    return ring;
  });
  carryPdp(file, step, dsMap, state, sources, pdpStart);
  return { state, rings, knownValues };
}

/** The CDP in progress of new RRA `r`: copied from an old RRA of the same step, CF and PDPs per row, or re-consolidated. */
function carryCdp(
  file: ArchiveFile,
  step: number,
  rra: RraDefinition,
  r: number,
  dsMap: readonly number[],
  state: ArchiveState,
  folder: SpanFolder,
  calEnd: number,
  pdpStart: number,
): void {
  const width = dsMap.length;
  const old = file.definition;
  const oldWidth = old.dataSources.length;
  const twin = old.step === step ? old.rras.findIndex((o) => o.cf === rra.cf && o.pdpPerRow === rra.pdpPerRow) : -1;
  if (twin >= 0) {
    dsMap.forEach((o, d) => {
      state.cdpValue[r * width + d] = file.state.cdpValue[twin * oldWidth + o];
      state.cdpUnknownPdps[r * width + d] = file.state.cdpUnknownPdps[twin * oldWidth + o];
    });
    return;
  }
  // A single-PDP RRA has no CDP in progress; nor has an RRA whose row just closed.
  const pdps = (pdpStart - calEnd) / step;
  if (rra.pdpPerRow === 1 || pdps <= 0) return;
  const folded = folder.fold(calEnd, pdpStart);
  for (let d = 0; d < width; d++) {
    const v = folded.values[d];
    const knownPdps = Number.isNaN(v) ? 0 : Math.max(0, Math.min(pdps, Math.round(folded.knownSeconds[d] / step)));
    state.cdpUnknownPdps[r * width + d] = pdps - knownPdps;
    state.cdpValue[r * width + d] = knownPdps === 0 ? NaN : rra.cf === 'AVERAGE' ? v * knownPdps : v;
  }
}

/**
 * The PDP in progress: copied when the step is unchanged; otherwise the
 * span from the new step's last boundary to the last update, with the old
 * archive's mean rate over its known seconds.
 */
function carryPdp(file: ArchiveFile, step: number, dsMap: readonly number[], state: ArchiveState, sources: readonly Ranked[], pdpStart: number): void {
  const width = dsMap.length;
  if (file.definition.step === step) {
    dsMap.forEach((o, d) => {
      state.pdpValue[d] = file.state.pdpValue[o];
      state.pdpUnknownSeconds[d] = file.state.pdpUnknownSeconds[o];
    });
    return;
  }
  const span = file.state.lastUpdate - pdpStart;
  if (span <= 0) return;
  const folder = new SpanFolder(layer(preferred(sources, 'AVERAGE', step)), 'AVERAGE', dsMap, file.definition.dataSources.length);
  const folded = folder.fold(pdpStart, file.state.lastUpdate);
  for (let d = 0; d < width; d++) {
    const v = folded.values[d];
    const knownSeconds = Number.isNaN(v) ? 0 : Math.max(0, Math.min(span, Math.round(folded.knownSeconds[d])));
    state.pdpUnknownSeconds[d] = span - knownSeconds;
    state.pdpValue[d] = knownSeconds === 0 ? NaN : v * knownSeconds;
  }
}
