/**
 * Collects the rows an update writes, as the runs of a redo record:
 * consecutive distinct rows of an RRA share one run, a gap's repeated row is
 * one fill run.
 */
import { ROW_RUN_HEADER_SIZE, VALUE_SIZE } from './format.js';
import type { RowRun } from './redo.js';

/** A run being collected: its values still grow. */
type GrowingRun = RowRun & { values: number[] };

export class RowRunCollector {
  readonly runs: RowRun[] = [];
  /** Bytes the runs take in a redo record. */
  bytes = 0;
  /** Per RRA: the run that the next distinct row may extend, if any. */
  private readonly open: (GrowingRun | undefined)[];

  constructor(
    private readonly dsCount: number,
    rraCount: number,
  ) {
    this.open = new Array<GrowingRun | undefined>(rraCount);
  }

  /** One row of `values[offset .. offset + dsCount)` at `slot` of RRA `rra`. */
  addRow(rra: number, slot: number, values: Float64Array, offset: number): void {
    let run = this.open[rra];
    if (!run) {
      run = { rra, firstSlot: slot, count: 0, fill: false, values: [] as number[] };
      this.runs.push(run);
      this.open[rra] = run;
      this.bytes += ROW_RUN_HEADER_SIZE;
    }
    for (let d = 0; d < this.dsCount; d++) run.values.push(values[offset + d]);
    run.count++;
    this.bytes += this.dsCount * VALUE_SIZE;
  }

  /** `count` copies of one row, starting at `slot`. */
  addFill(rra: number, slot: number, count: number, values: Float64Array, offset: number): void {
    const row: number[] = [];
    for (let d = 0; d < this.dsCount; d++) row.push(values[offset + d]);
    this.runs.push({ rra, firstSlot: slot, count, fill: true, values: row });
    this.open[rra] = undefined;
    this.bytes += ROW_RUN_HEADER_SIZE + this.dsCount * VALUE_SIZE;
  }

  /** Starts new runs for the rows that follow, so that the runs so far can be committed on their own. */
  seal(): void {
    this.open.fill(undefined);
  }

  clear(): void {
    this.runs.length = 0;
    this.bytes = 0;
    this.open.fill(undefined);
  }
}
