/**
 * Writing the server's own samples (computed series, node states) to the
 * store, step after step: a refusal or a failure is logged, never thrown,
 * and logged once while it repeats (a full store would otherwise log a line
 * every step of every series), then once more when writes succeed again.
 */
import type { SampleSink, StoreSample } from '../store/index.js';

export interface OwnSamplesLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export class OwnSampleWriter {
  /** The problem last logged, while it lasts. */
  private problem: string | undefined;

  /** `what` names the writer in the log ("computed series"). */
  constructor(
    private readonly sink: SampleSink,
    private readonly log: OwnSamplesLogger,
    private readonly what: string,
  ) {}

  async write(samples: readonly StoreSample[]): Promise<void> {
    if (samples.length === 0) return;
    try {
      const { rejected } = await this.sink.ingest(samples, { own: true });
      if (rejected.length === 0) return this.cleared();
      this.said(rejected[0].reason, { rejected: rejected.slice(0, 10), refused: rejected.length }, `${this.what}: samples refused by the store`);
    } catch (e) {
      this.said(e instanceof Error ? e.message : String(e), { err: e }, `${this.what}: could not write`);
    }
  }

  private said(problem: string, fields: object, message: string): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.log.warn(fields, `${message} (logged once while it repeats)`);
  }

  private cleared(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    this.log.info({}, `${this.what}: written again`);
  }
}
