/**
 * Sends the spooled batches to the server in spool order, and acknowledges
 * them in the spool once the server has answered for them.
 *
 * - At most `maxSamplesPerRequest` samples per request: whole batches, or
 *   one batch too large for a request sent in slices.
 * - No answer, 408, 429 or 5xx: the same request again after an
 *   exponential backoff with jitter (1 s doubling to maxBackoffSeconds);
 *   logged when the server goes away and when it is back, not per attempt.
 * - 401/403: logged once; retried every maxBackoffSeconds (the token file
 *   is read again each time, so an operator can fix it).
 * - 413: the request is halved, down to one sample.
 * - Any other 4xx: the batch is bad. A request of several batches is split
 *   so that only the bad one is skipped: logged with the server's message,
 *   counted, acknowledged; one bad batch never blocks the queue.
 * - 200: samples the server already holds (`not after the last update`:
 *   a batch sent again after a restart or a lost answer) count as
 *   duplicates, other refusals as rejected (logged).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { INTERVAL_RANGE, type SlurperLogger } from '../contract.js';
import { errorText } from '../host/error-text.js';
import { serverMessage, type ServerClient, type ServerReply } from './server-client.js';
import type { SpooledBatch, SpooledSample } from './spool-format.js';
import type { Spool } from './spool.js';

export const SAMPLES_PATH = '/api/v1/samples';

/** What the uploader needs of the spool. */
export type UploadSource = Pick<Spool, 'peek' | 'ack' | 'waitForData'>;

export interface UploaderOptions {
  readonly spool: UploadSource;
  readonly client: Pick<ServerClient, 'post'>;
  readonly log: SlurperLogger;
  readonly maxSamplesPerRequest: number;
  readonly maxBackoffSeconds: number;
  /** First backoff delay (default 1 s). */
  readonly minBackoffSeconds?: number;
  /** For tests: the jitter's random source (default Math.random). */
  readonly random?: () => number;
}

/** The uploader's counters since it started. */
export interface UploadStats {
  readonly requests: number;
  readonly acceptedSamples: number;
  readonly duplicateSamples: number;
  readonly rejectedSamples: number;
  readonly skippedBatches: number;
  readonly skippedSamples: number;
  /** Requests that got no usable answer (network, 5xx, auth). */
  readonly failedRequests: number;
  /** Whether the last request was answered (false while the server is away). */
  readonly connected: boolean;
}

/** A running uploader. */
export interface Uploader {
  stats(): UploadStats;
  /**
   * Sends what is spooled for up to `drainSeconds`, then aborts what is in
   * flight and resolves; what is left stays spooled for the next start.
   */
  stop(drainSeconds: number): Promise<void>;
}

type Outcome =
  | { readonly kind: 'ok'; readonly reply: ServerReply }
  | { readonly kind: 'retry' | 'auth' | 'too-large' | 'bad'; readonly why: string };

const STALE = /not after the last update/;

function classify(reply: ServerReply): Outcome {
  const { status } = reply;
  if (status >= 200 && status < 300) return { kind: 'ok', reply };
  const why = `HTTP ${status}: ${serverMessage(reply)}`;
  if (status === 401 || status === 403) return { kind: 'auth', why };
  if (status === 413) return { kind: 'too-large', why };
  if (status === 408 || status === 429 || status >= 500 || status < 400) return { kind: 'retry', why };
  return { kind: 'bad', why };
}

/**
 * The ingest API's body: `{ series, t, v, kind?, unit?, thresholds?, labels?, message?, interval? }` per
 * sample; an interval outside what the server takes (INTERVAL_RANGE: a schedule
 * every 0.5 s or once a year) is sent as the nearest bound, not refused with the batch.
 */
const wire = (samples: readonly SpooledSample[]): string =>
  JSON.stringify(
    samples.map((s) => ({
      series: s.series,
      t: s.t,
      v: s.v,
      ...(s.kind ? { kind: s.kind } : {}),
      ...(s.unit === undefined ? {} : { unit: s.unit }),
      ...(s.thresholds ? { thresholds: s.thresholds } : {}),
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.message === undefined ? {} : { message: s.message }),
      ...(s.interval === undefined ? {} : { interval: Math.min(INTERVAL_RANGE.max, Math.max(INTERVAL_RANGE.min, s.interval)) }),
    })),
  );

export function startUploader(options: UploaderOptions): Uploader {
  const { spool, client, log } = options;
  const random = options.random ?? Math.random;
  const minBackoff = (options.minBackoffSeconds ?? 1) * 1000;
  const maxBackoff = options.maxBackoffSeconds * 1000;
  const counts = { requests: 0, acceptedSamples: 0, duplicateSamples: 0, rejectedSamples: 0, skippedBatches: 0, skippedSamples: 0, failedRequests: 0 };
  const abort = new AbortController(); // at the end of stop()'s drain time
  const idle = new AbortController(); // at stop(): an empty spool ends the loop
  let connected = true;
  let awaySince = 0;
  let authRefused = false;
  let limit = options.maxSamplesPerRequest;
  /** Send one batch per request up to this seq: a request of several was refused as bad. */
  let isolateThrough = 0;
  /** Samples of a large batch already answered, by slice. */
  let sliced: { seq: number; done: number } | undefined;
  let attempt = 0;

  const post = async (samples: readonly SpooledSample[]): Promise<Outcome> => {
    counts.requests++;
    try {
      return classify(await client.post(SAMPLES_PATH, wire(samples), abort.signal));
    } catch (e) {
      return { kind: 'retry', why: errorText(e) };
    }
  };

  const tally = (reply: ServerReply, samples: number): void => {
    let body: { accepted?: number; rejected?: { reason?: string; series?: string }[] };
    try {
      body = JSON.parse(reply.body) as typeof body;
    } catch {
      body = { accepted: samples, rejected: [] };
    }
    const rejected = body.rejected ?? [];
    const duplicates = rejected.filter((r) => STALE.test(r.reason ?? '')).length;
    const others = rejected.filter((r) => !STALE.test(r.reason ?? ''));
    counts.acceptedSamples += body.accepted ?? 0;
    counts.duplicateSamples += duplicates;
    counts.rejectedSamples += others.length;
    if (others.length > 0) log.warn({ rejected: others.length, first: others[0] }, `upload: the server refused ${others.length} samples: ${others[0].series}: ${others[0].reason}`);
  };

  /** Sends `batches` (one request, or slices of one large batch); the outcome of the last request made. */
  const send = async (batches: readonly SpooledBatch[]): Promise<Outcome> => {
    const samples = batches.flatMap((b) => b.samples);
    if (samples.length <= limit) {
      const outcome = await post(samples);
      if (outcome.kind === 'ok') tally(outcome.reply, samples.length);
      return outcome;
    }
    const { seq } = batches[0];
    if (sliced?.seq !== seq) sliced = { seq, done: 0 };
    while (sliced.done < samples.length) {
      const slice = samples.slice(sliced.done, sliced.done + limit);
      const outcome = await post(slice);
      if (outcome.kind !== 'ok') return outcome;
      tally(outcome.reply, slice.length);
      sliced.done += slice.length;
    }
    sliced = undefined;
    return { kind: 'ok', reply: { status: 200, body: '{}' } };
  };

  const pause = async (ms: number): Promise<void> => {
    await sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  };

  const onFailure = async (outcome: Exclude<Outcome, { kind: 'ok' }>): Promise<void> => {
    counts.failedRequests++;
    if (outcome.kind === 'auth') {
      if (!authRefused) log.error({ reason: outcome.why }, `upload: the server refuses the token (${outcome.why}); samples stay spooled; retrying every ${maxBackoff / 1000} s`);
      authRefused = true;
      connected = false;
      return pause(maxBackoff);
    }
    if (connected) {
      awaySince = Date.now();
      log.warn({ reason: outcome.why }, `upload: cannot deliver to the server (${outcome.why}); samples stay spooled and are sent once it answers`);
    }
    connected = false;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** attempt++);
    return pause(delay / 2 + (random() * delay) / 2);
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      let peeked: SpooledBatch[];
      try {
        peeked = await spool.peek(limit);
      } catch (e) {
        log.error({ err: e }, `upload: cannot read the spool: ${errorText(e)}`);
        await pause(maxBackoff);
        continue;
      }
      if (peeked.length === 0) {
        if (idle.signal.aborted) return;
        await spool.waitForData(idle.signal);
        continue;
      }
      const batches = peeked[0].seq <= isolateThrough ? peeked.slice(0, 1) : peeked;
      const outcome = await send(batches);
      if (abort.signal.aborted) return;
      const last = batches.at(-1)!.seq;
      if (outcome.kind === 'ok') {
        if (!connected) log.info({ awaySeconds: Math.round((Date.now() - awaySince) / 1000) }, 'upload: the server answers again; sending the spooled backlog');
        connected = true;
        authRefused = false;
        attempt = 0;
        await spool.ack(last);
      } else if (outcome.kind === 'too-large' && limit > 1) {
        limit = Math.max(1, Math.floor(Math.min(limit, batches.reduce((n, b) => n + b.samples.length, 0)) / 2));
        log.warn({ reason: outcome.why, maxSamplesPerRequest: limit }, `upload: the server finds the request too large; sending at most ${limit} samples per request`);
      } else if (outcome.kind === 'bad' || outcome.kind === 'too-large') {
        if (batches.length > 1) {
          isolateThrough = last;
          continue;
        }
        const size = batches[0].samples.length;
        counts.skippedBatches++;
        counts.skippedSamples += size;
        log.error({ seq: last, samples: size, reason: outcome.why }, `upload: the server refuses batch ${last} (${outcome.why}); skipped, ${size} samples not stored`);
        sliced = undefined;
        await spool.ack(last);
      } else {
        await onFailure(outcome);
      }
    }
  };

  const running = loop().catch((e: unknown) => log.error({ err: e }, `upload: stopped by an unexpected error: ${errorText(e)}`));

  return {
    stats: () => ({ ...counts, connected }),
    async stop(drainSeconds) {
      idle.abort();
      const deadline = setTimeout(() => abort.abort(), drainSeconds * 1000);
      await running;
      clearTimeout(deadline);
      abort.abort();
    },
  };
}
