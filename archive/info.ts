/** `rrdtool info` as a JSON object: definition, live state and layout. */
import type { ArchiveFile } from './archive-file.js';
import type { ConsolidationFunction, DsType } from './definition.js';
import { FORMAT_VERSION } from './format.js';

export interface ArchiveInfo {
  readonly filename: string;
  readonly formatVersion: number;
  readonly step: number;
  /** Unix seconds, with the microseconds as a fraction. */
  readonly lastUpdate: number;
  readonly headerSize: number;
  readonly fileSize: number;
  readonly ds: ReadonlyArray<{
    readonly index: number;
    readonly name: string;
    readonly type: DsType;
    readonly minimalHeartbeat: number;
    readonly min: number | null;
    readonly max: number | null;
    readonly lastDs: string;
    readonly value: number | null;
    readonly unknownSec: number;
  }>;
  readonly rra: ReadonlyArray<{
    readonly index: number;
    readonly cf: ConsolidationFunction;
    readonly rows: number;
    readonly curRow: number;
    readonly pdpPerRow: number;
    readonly xff: number;
    readonly cdpPrep: ReadonlyArray<{ readonly value: number | null; readonly unknownDatapoints: number }>;
  }>;
}

/** JSON has neither NaN nor infinities: both become null (UNKNOWN, as JSON readers expect). */
function jsonNumber(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function infoFromFile(file: ArchiveFile): ArchiveInfo {
  const { definition: def, state, layout } = file;
  const width = def.dataSources.length;
  return {
    filename: file.path,
    formatVersion: FORMAT_VERSION,
    step: def.step,
    lastUpdate: state.lastUpdate + state.lastUpdateUsec / 1e6,
    headerSize: layout.dataOffset,
    fileSize: layout.fileSize,
    ds: def.dataSources.map((ds, d) => ({
      index: d,
      name: ds.name,
      type: ds.type,
      minimalHeartbeat: ds.heartbeat,
      min: jsonNumber(ds.min),
      max: jsonNumber(ds.max),
      lastDs: state.lastDs[d],
      value: jsonNumber(state.pdpValue[d]),
      unknownSec: state.pdpUnknownSeconds[d],
    })),
    rra: def.rras.map((rra, r) => ({
      index: r,
      cf: rra.cf,
      rows: rra.rows,
      curRow: state.currentRow[r],
      pdpPerRow: rra.pdpPerRow,
      xff: rra.xff,
      cdpPrep: Array.from({ length: width }, (_, d) => ({
        value: jsonNumber(state.cdpValue[r * width + d]),
        unknownDatapoints: state.cdpUnknownPdps[r * width + d],
      })),
    })),
  };
}
