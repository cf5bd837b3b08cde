/**
 * Sends `count` fuzz requests to a running server and reports what it saw:
 * statuses, every 5xx, every request left without an answer, every refused
 * request that changed the state, every answer that leaks a system file.
 *
 * Requests that cannot change state (GET, HEAD, OPTIONS) go concurrently over
 * a keep-alive pool. The others go one batch at a time. Requests of a kind
 * (route, mutation, token) seen accepted go in large unchecked batches; the
 * rest in batches of 16 between two state fingerprints: if every request of
 * the batch was refused, the fingerprints must be equal; if some were
 * accepted, an unchanged state still clears the refused ones. A check starts
 * from a settled state (settle, state-fingerprint.ts: every sample
 * acknowledged so far applied), so that what the server does on its own to
 * them (a flush quarantining one its archive refuses) is not taken for a
 * refused request's doing; an all-refused batch leaves it settled and its
 * `after` starts the next check, a batch with some accepted does not. Draws
 * come from fast-check with `seed`, so the same seed draws the same requests
 * (their interleaving, and so the answers of state-dependent ones, may
 * differ). The run stops early when the server's process ends or a deadline
 * passes.
 */
import fc from 'fast-check';
import { Pool, type Dispatcher } from 'undici';
import { READ_METHODS, requestsFor, type FuzzRequest } from './fuzz-requests.js';
import type { FuzzRoute } from './openapi-routes.js';
import type { KnownValues } from './schema-values.js';
import { differences, settle, stateFingerprint } from './state-fingerprint.js';

export interface FuzzRunOptions {
  readonly base: string;
  readonly routes: readonly FuzzRoute[];
  readonly known: KnownValues;
  /** A token for each role the server has. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly tokensFile: string;
  readonly count: number;
  readonly seed: number;
  /** Concurrent read requests. */
  readonly readConcurrency?: number;
  /** Mutating requests sent together between two fingerprints. */
  readonly batchSize?: number;
  /** Whether the server's process still runs: once it does not, the run stops (and says so). */
  readonly alive?: () => boolean;
  /** The run stops (and says so) after this many seconds: a frozen server must not outlast the test's timeout. */
  readonly deadlineSeconds?: number;
}

export interface FuzzFinding {
  readonly request: string;
  readonly what: string;
}

export interface FuzzReport {
  sent: number;
  seconds: number;
  /** Answers by status ('error' for none). */
  readonly statuses: Record<string, number>;
  /** Answers by route and status class. */
  readonly byRoute: Record<string, Record<string, number>>;
  readonly serverErrors: FuzzFinding[];
  readonly noAnswer: FuzzFinding[];
  readonly stateChanges: FuzzFinding[];
  readonly leaks: FuzzFinding[];
  /** Refused mutating requests, and how many of them a fingerprint checked. */
  refusedMutating: number;
  refusedMutatingChecked: number;
  /** Set when the run stopped before every payload was sent: the server's process ended, or the deadline passed. */
  stoppedAt?: number;
  stoppedWhy?: string;
  /** Where the time went: when each lane ended, and the fingerprints taken (seconds). */
  timing: { readsEnded: number; writesEnded: number; fingerprints: number; settles: number; fingerprintSeconds: number };
}

const CHUNK = 500;

/** The request as a curl command line, its body cut to 1,000 characters. */
export function describeRequest(base: string, r: FuzzRequest): string {
  const body = r.oversizedBody !== undefined ? ` --data-binary <${r.oversizedBody} bytes of JSON>` : r.body !== undefined ? ` --data-binary '${r.body.slice(0, 1000)}'${r.body.length > 1000 ? `<... ${r.body.length} chars>` : ''}` : '';
  const type = r.contentType !== undefined ? ` -H 'content-type: ${r.contentType}'` : '';
  return `[${r.route}; ${r.mutation}; token ${r.token}] curl -X ${r.method} '${base}${r.url.slice(0, 1000)}'${r.url.length > 1000 ? `<... ${r.url.length} chars>` : ''}${type}${body}`;
}

function oversized(bytes: number): string {
  const item = '{"series":"fuzz.big","v":1},';
  return `[${item.repeat(Math.ceil(bytes / item.length))}{"series":"fuzz.big","v":1}]`;
}

export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const roles = Object.keys(options.tokens);
  const arbitrary = fc.oneof(...options.routes.map((route) => requestsFor(route, options.known, roles)));
  const pool = new Pool(options.base, { connections: options.readConcurrency ?? 12, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const fingerprintClient = new Pool(options.base, { connections: 6, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const source = { client: fingerprintClient, adminToken: options.tokens.admin, tokensFile: options.tokensFile };
  const report: FuzzReport = { sent: 0, seconds: 0, statuses: {}, byRoute: {}, serverErrors: [], noAnswer: [], stateChanges: [], leaks: [], refusedMutating: 0, refusedMutatingChecked: 0, timing: { readsEnded: 0, writesEnded: 0, fingerprints: 0, settles: 0, fingerprintSeconds: 0 } };
  const count = (key: string, status: number | 'error', route: string) => {
    report.statuses[key] = (report.statuses[key] ?? 0) + 1;
    const byRoute = (report.byRoute[route] ??= {});
    const cls = status === 'error' ? 'error' : `${String(status)[0]}xx`;
    byRoute[cls] = (byRoute[cls] ?? 0) + 1;
  };

  async function send(client: Dispatcher, r: FuzzRequest): Promise<number | 'error'> {
    const headers: Record<string, string> = {};
    if (r.token === 'bogus') headers.authorization = 'Bearer rmt_not-a-token';
    else if (r.token !== 'none') headers.authorization = `Bearer ${options.tokens[r.token]}`;
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    const body = r.oversizedBody !== undefined ? oversized(r.oversizedBody) : r.body;
    report.sent++;
    try {
      const res = await client.request({ method: r.method as Dispatcher.HttpMethod, path: r.url, headers, body: r.method === 'GET' || r.method === 'HEAD' ? undefined : body });
      const text = await res.body.text();
      count(String(res.statusCode), res.statusCode, r.route);
      if (res.statusCode >= 500) report.serverErrors.push({ request: describeRequest(options.base, r), what: `${res.statusCode} ${text.slice(0, 300)}` });
      if (text.includes('root:x:0:0') || text.includes('[fonts]')) report.leaks.push({ request: describeRequest(options.base, r), what: text.slice(0, 200) });
      return res.statusCode;
    } catch (error) {
      count('error', 'error', r.route);
      // A server may cut an upload over its body limit after answering 413.
      if (r.oversizedBody === undefined) report.noAnswer.push({ request: describeRequest(options.base, r), what: `${(error as Error).message} at ${elapsed().toFixed(2)} s` });
      return 'error';
    }
  }

  const reads: FuzzRequest[] = [];
  /** Mutating requests meant to be refused, and those meant to be accepted: batched apart, so that the first batches can be checked. */
  const writes: FuzzRequest[] = [];
  const validWrites: FuzzRequest[] = [];
  let drawn = 0;
  let chunk = 0;
  /** Answers so far by kind of request (route, mutation, token): kinds seen accepted go with the valid ones. */
  const seen = new Map<string, { accepted: number; all: number }>();
  const kindOf = (r: FuzzRequest) => `${r.route}|${r.mutation}|${r.token}`;
  const likelyAccepted = (r: FuzzRequest) => {
    const k = seen.get(kindOf(r));
    return r.mutation === 'valid' || (k !== undefined && k.accepted > 0.1 * k.all);
  };
  const learn = (r: FuzzRequest, status: number | 'error') => {
    const k = seen.get(kindOf(r)) ?? { accepted: 0, all: 0 };
    k.all++;
    if (status !== 'error' && status < 400) k.accepted++;
    seen.set(kindOf(r), k);
  };
  /** Draws the next chunk into the queues. */
  const draw = () => {
    const n = Math.min(CHUNK, options.count - drawn);
    for (const r of fc.sample(arbitrary, { seed: options.seed + chunk++, numRuns: n })) (READ_METHODS.has(r.method) ? reads : likelyAccepted(r) ? validWrites : writes).push(r);
    drawn += n;
  };
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;

  /** The state now, `settled` first (settle); a fingerprint the server does not answer is a finding, and checks nothing. */
  const fingerprint = async (settled = false): Promise<Record<string, string> | undefined> => {
    const t0 = performance.now();
    try {
      if (settled) {
        report.timing.settles++;
        await settle(source);
      }
      return await stateFingerprint(source);
    } catch (error) {
      report.noAnswer.push({ request: `the state fingerprint (${settled ? 'POST /api/v1/admin/flush, ' : ''}GET /api/v1/series, /api/v1/downtimes, /api/v1/agents, /metrics, /api/v1/notifications)`, what: `${(error as Error).message} at ${elapsed().toFixed(2)} s` });
      return undefined;
    } finally {
      report.timing.fingerprints++;
      report.timing.fingerprintSeconds += (performance.now() - t0) / 1000;
    }
  };
  const alive = () => {
    const why = options.alive !== undefined && !options.alive() ? 'the server exited' : elapsed() > (options.deadlineSeconds ?? Infinity) ? `${options.deadlineSeconds} s passed` : undefined;
    if (why === undefined) return true;
    report.stoppedAt ??= elapsed();
    report.stoppedWhy ??= why;
    return false;
  };
  const readLane = async () => {
    for (;;) {
      if (!alive()) return;
      if (reads.length === 0) {
        if (drawn >= options.count) {
          report.timing.readsEnded = Math.max(report.timing.readsEnded, elapsed());
          return;
        }
        draw();
        continue;
      }
      await send(pool, reads.shift()!);
    }
  };
  const writeLane = async () => {
    const batchSize = options.batchSize ?? 16;
    let before: Record<string, string> | undefined;
    for (;;) {
      if (!alive()) return;
      const allDrawn = drawn >= options.count;
      if (!allDrawn && writes.length < batchSize && validWrites.length < 4 * batchSize) {
        draw();
        continue;
      }
      if (validWrites.length >= 4 * batchSize || (allDrawn && writes.length === 0 && validWrites.length > 0)) {
        // Meant to be accepted: sent together, unchecked; the next check starts from a fresh fingerprint.
        const batch = validWrites.splice(0, 4 * batchSize);
        const statuses = await Promise.all(batch.map((r) => send(pool, r)));
        batch.forEach((r, k) => learn(r, statuses[k]));
        report.refusedMutating += statuses.filter((s) => s !== 'error' && s >= 400 && s < 500).length;
        before = undefined;
        continue;
      }
      if (writes.length === 0) {
        report.timing.writesEnded = elapsed();
        return;
      }
      const batch = writes.splice(0, batchSize);
      before ??= await fingerprint(true);
      const statuses = await Promise.all(batch.map((r) => send(pool, r)));
      batch.forEach((r, k) => learn(r, statuses[k]));
      const refused = statuses.filter((s) => s !== 'error' && s >= 400 && s < 500).length;
      report.refusedMutating += refused;
      const after = await fingerprint();
      if (before === undefined || after === undefined) {
        before = undefined;
        continue;
      }
      const changed = differences(before, after);
      // Refused throughout: any change is theirs. With some accepted: an unchanged state clears the refused ones too.
      if (refused === batch.length && changed.length > 0) report.stateChanges.push({ request: batch.map((r) => describeRequest(options.base, r)).join('\n  '), what: changed.join('; ') });
      if (refused === batch.length || changed.length === 0) report.refusedMutatingChecked += refused;
      // Samples the accepted ones brought may still be pending: the next check settles them first.
      before = refused === batch.length ? after : undefined;
    }
  };
  const lanes = Array.from({ length: options.readConcurrency ?? 12 }, readLane);
  await Promise.all([...lanes, writeLane()]);
  report.seconds = (performance.now() - started) / 1000;
  await pool.close();
  await fingerprintClient.close();
  return report;
}
