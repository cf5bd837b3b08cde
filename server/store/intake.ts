/**
 * The intake half of the store: each batch is checked at the door, each
 * accepted sample claims its series' next time (so a later sample in the
 * same batch or a concurrent batch must be newer), the accepted ones are
 * appended to the journal in one append, and only then recorded as pending
 * and told to the listener. When the append fails the batch's claims are
 * given back, unless a later batch has claimed past them: nothing of a
 * failed batch is stored, and nothing of it blocks a retry. A series new to
 * the store is admitted first (series-admission.ts): when its archive would
 * not fit, its samples are refused, so nothing is acknowledged that the
 * disk cannot take, while known series go on.
 */
import type { SampleJournal } from '../journal/index.js';
import { sampleProblem, type SampleLimits } from './sample-check.js';
import type { Refusal, SeriesAdmission } from './series-admission.js';
import type { SeriesEntry, SeriesTable } from './series-table.js';
import type { AcceptedSamplesListener, IngestOptions, IngestResult, StoreSample } from './store.js';
import { timeKey } from './sample-time.js';
import type { WriteBehind } from './write-behind.js';

/** A series' time before this batch claimed past it, and what the batch claimed (`after`). */
interface Claim {
  readonly entry: SeriesEntry;
  readonly key: number;
  readonly time: number;
  after: number;
}

export class Intake {
  private listener: AcceptedSamplesListener | undefined;
  private batchNumber = 0;

  constructor(
    private readonly table: SeriesTable,
    private readonly journal: SampleJournal,
    private readonly writeBehind: WriteBehind,
    private readonly limits: SampleLimits,
    private readonly admission: SeriesAdmission,
    /** The server clock, Unix seconds: samples too far ahead of it are refused. */
    private readonly now: () => number,
  ) {}

  /** Sets the one listener told of accepted samples. */
  onAccepted(listener: AcceptedSamplesListener): void {
    this.listener = listener;
  }

  /** Store.ingest, once the store is known to be open. */
  async ingest(samples: readonly StoreSample[], options: IngestOptions): Promise<IngestResult> {
    const { table } = this;
    const rejected: IngestResult['rejected'] = [];
    const accepted: StoreSample[] = [];
    const acceptedEntries: SeriesEntry[] = [];
    // An entry is marked with the batch's number rather than kept in a Map: no Map per batch on the hot path.
    const claims: Claim[] = [];
    /** New series this batch refused, and why; made on the first. */
    let refusedNew: Map<SeriesEntry, Refusal> | undefined;
    const batch = ++this.batchNumber;
    const now = this.now();
    for (let index = 0; index < samples.length; index++) {
      const s = samples[index];
      // A known series' name was checked when it was first seen: only new names are checked again.
      const known = typeof s.series === 'string' ? table.get(s.series) : undefined;
      const reason = sampleProblem(s, known !== undefined, this.limits, now, options.own);
      if (reason !== undefined) {
        rejected.push({ index, series: String(s.series), reason });
        continue;
      }
      const entry = known?.headerLoaded ? known : table.entry(s.series, true);
      if (this.admission.isNew(entry)) {
        const refused = refusedNew?.get(entry) ?? this.admission.admit(entry, s.interval, options.writer);
        if (refused !== undefined) {
          (refusedNew ??= new Map()).set(entry, refused);
          rejected.push({ index, series: s.series, reason: refused.message });
          continue;
        }
      }
      const key = timeKey(s.time);
      if (key <= entry.lastKey) {
        rejected.push({ index, series: s.series, reason: `time ${s.time} is not after the last update ${entry.lastTime}` });
        continue;
      }
      if (entry.claimBatch !== batch) {
        entry.claimBatch = batch;
        claims.push({ entry, key: entry.lastKey, time: entry.lastTime, after: key });
      }
      entry.lastKey = key;
      entry.lastTime = s.time;
      accepted.push(s);
      acceptedEntries.push(entry);
    }
    table.counters.samplesRejected += rejected.length;
    const room = refusedNew === undefined ? {} : refusalsSaid(refusedNew.values());
    if (accepted.length === 0) return { accepted: 0, rejected, ...room };
    for (const claim of claims) claim.after = claim.entry.lastKey;
    if (options.kinds) {
      // Senders repeat their kinds with every batch: once their series are known there is nothing to create.
      const fresh = new Set(claims.filter((c) => c.key === -Infinity).map((c) => c.entry));
      if (fresh.size > 0) this.writeBehind.createDeclared(accepted, acceptedEntries, fresh, options.kinds);
    }
    const seq = await this.append(accepted, claims);
    for (let i = 0; i < accepted.length; i++) {
      const s = accepted[i];
      table.record(acceptedEntries[i], seq, s);
      if (s.message !== undefined) acceptedEntries[i].message = s.message;
    }
    table.recordedSeq = Math.max(table.recordedSeq, seq);
    table.counters.samplesIngested += accepted.length;
    this.writeBehind.journalGrew();
    this.listener?.(accepted);
    return { accepted: accepted.length, rejected, ...room };
  }

  /** Appends `accepted` to the journal; when that fails, gives back the times claimed and rethrows. */
  private async append(accepted: readonly StoreSample[], claims: readonly Claim[]): Promise<number> {
    try {
      return await this.journal.append(accepted);
    } catch (e) {
      for (const { entry, key, time, after } of claims) {
        if (entry.lastKey === after) Object.assign(entry, { lastKey: key, lastTime: time });
      }
      throw e;
    }
  }
}

/** The first refusal of each kind, for IngestResult.noRoom and overRate. */
function refusalsSaid(refusals: Iterable<Refusal>): { noRoom?: string; overRate?: string } {
  let noRoom: string | undefined;
  let overRate: string | undefined;
  for (const r of refusals) {
    if (r.reason === 'rate') overRate ??= r.message;
    else noRoom ??= r.message;
  }
  return { ...(noRoom === undefined ? {} : { noRoom }), ...(overRate === undefined ? {} : { overRate }) };
}
