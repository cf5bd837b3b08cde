/**
 * The uploader against a scripted server (a fake client) and a real spool:
 * what each kind of answer does to the queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerReply } from '../../../slurpers/agent/server-client.js';
import type { SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';
import { startUploader, type UploaderOptions } from '../../../slurpers/agent/uploader.js';
import { recordingLogger } from '../host/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-uploader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

const batch = (k: number, size = 2): SpooledSample[] => Array.from({ length: size }, (_, i) => ({ series: `up.s${i}`, t: 1_700_000_000 + k, v: k }));

interface Call {
  readonly samples: SpooledSample[];
}

/** A server that answers each request with `answer(call, index)`; a thrown error is "no answer". */
function fakeServer(answer: (call: Call, index: number) => ServerReply) {
  const calls: Call[] = [];
  return {
    calls,
    client: {
      post: async (_path: string, json: string): Promise<ServerReply> => {
        const call = { samples: JSON.parse(json) as SpooledSample[] };
        calls.push(call);
        return answer(call, calls.length - 1);
      },
    },
  };
}

const ok = (call: Call): ServerReply => ({ status: 200, body: JSON.stringify({ accepted: call.samples.length, rejected: [] }) });

async function run(batches: SpooledSample[][], answer: (call: Call, index: number) => ServerReply, options: Partial<UploaderOptions> = {}) {
  const spool = await Spool.open({ dir: join(root, `u${++dirs}`), maxBytes: 1 << 20 });
  for (const b of batches) await spool.append(b);
  const server = fakeServer(answer);
  const log = recordingLogger();
  const uploader = startUploader({ spool, client: server.client, log, maxSamplesPerRequest: 100, maxBackoffSeconds: 0.05, minBackoffSeconds: 0.01, ...options });
  const deadline = Date.now() + 10_000;
  while (spool.stats().pendingBatches > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await uploader.stop(1);
  await spool.close();
  return { server, log, stats: uploader.stats(), spool: spool.stats() };
}

const values = (calls: readonly Call[]): number[][] => calls.map((c) => [...new Set(c.samples.map((s) => s.v as number))]);

describe('uploader', () => {
  it('sends a declared kind and offered thresholds as the ingest API takes them, and nothing else', async () => {
    const samples: SpooledSample[] = [
      { series: 'up.cpu_seconds', t: 1_700_000_001, v: 12.75, kind: 'DCOUNTER' },
      { series: 'up.disk', t: 1_700_000_001, v: 97, thresholds: { warning: '85', critical: '95' } },
      { series: 'up.load', t: 1_700_000_001, v: null },
    ];
    const { server } = await run([samples], ok);
    expect(server.calls.map((c) => c.samples)).toEqual([samples]);
  });

  it("sends a sample's message as the ingest API takes it, and none for a sample without", async () => {
    const samples: SpooledSample[] = [
      { series: 'up.check.state', t: 1_700_000_001, v: 2, thresholds: { warning: '0', critical: '@2:2' }, message: 'CRITICAL: disk full' },
      { series: 'up.other.state', t: 1_700_000_001, v: 0, message: '' },
      { series: 'up.check.up', t: 1_700_000_001, v: 1 },
    ];
    const { server } = await run([samples], ok);
    expect(server.calls.map((c) => c.samples)).toEqual([samples]);
    expect(server.calls[0].samples[2]).not.toHaveProperty('message');
  });

  it("sends each sample's interval, a schedule faster or slower than the server takes as the nearest bound", async () => {
    const samples: SpooledSample[] = [
      { series: 'up.a', t: 1_700_000_001, v: 1, interval: 30 },
      { series: 'up.fast', t: 1_700_000_001, v: 2, interval: 0.5 },
      { series: 'up.yearly', t: 1_700_000_001, v: 3, interval: 365 * 86400 },
      { series: 'up.none', t: 1_700_000_001, v: 4 },
    ];
    // One batch per run, as the spool keeps a run's interval once per record.
    const { server } = await run(samples.map((s) => [s]), ok);
    expect(server.calls[0].samples.map((s) => s.interval)).toEqual([30, 1, 31 * 86400, undefined]);
    expect(server.calls[0].samples[3]).not.toHaveProperty('interval');
  });

  it('sends whole batches in order, up to maxSamplesPerRequest per request', async () => {
    const { server, stats } = await run([1, 2, 3, 4, 5].map((k) => batch(k)), ok, { maxSamplesPerRequest: 4 });
    expect(values(server.calls)).toEqual([[1, 2], [3, 4], [5]]);
    expect(stats).toMatchObject({ acceptedSamples: 10, requests: 3, connected: true });
  });

  it('retries the same request with backoff while the server is away, logging once when it goes and once when it is back', async () => {
    const { server, stats, log } = await run([batch(1), batch(2)], (call, i) => {
      if (i < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:8080');
      if (i < 5) return { status: 503, body: '{"error":{"code":"unavailable","message":"journal full"}}' };
      return ok(call);
    });
    expect(values(server.calls)).toEqual([[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]);
    expect(stats).toMatchObject({ acceptedSamples: 4, failedRequests: 5, connected: true });
    expect(log.lines.filter((l) => l.message.includes('cannot deliver'))).toHaveLength(1);
    expect(log.lines.filter((l) => l.message.includes('answers again'))).toHaveLength(1);
  });

  it('counts samples the server already has as duplicates, not as errors', async () => {
    const { stats } = await run([batch(1)], () => ({
      status: 200,
      body: JSON.stringify({ accepted: 1, rejected: [{ index: 1, series: 'up.s1', reason: 'time 1700000001 is not after the last update 1700000001' }] }),
    }));
    expect(stats).toMatchObject({ acceptedSamples: 1, duplicateSamples: 1, rejectedSamples: 0 });
  });

  it('isolates a bad batch in a request of several, skips only it with the server\'s message, and goes on', async () => {
    const bad = (call: Call) => call.samples.some((s) => s.v === 3);
    const { server, stats, log } = await run([1, 2, 3, 4].map((k) => batch(k)), (call) =>
      bad(call) ? { status: 400, body: '{"error":{"code":"invalid_request","message":"body/0/series: must match pattern"}}' } : ok(call),
    );
    expect(values(server.calls)).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
    expect(stats).toMatchObject({ skippedBatches: 1, skippedSamples: 2, acceptedSamples: 6 });
    expect(log.lines.find((l) => l.level === 'error')?.message).toContain('body/0/series: must match pattern');
  });

  it('halves requests the server finds too large, and slices a batch larger than a request', async () => {
    const { server, stats } = await run([batch(1, 10)], (call) => (call.samples.length > 3 ? { status: 413, body: '{}' } : ok(call)), { maxSamplesPerRequest: 8 });
    expect(server.calls.map((c) => c.samples.length)).toEqual([8, 4, 2, 2, 2, 2, 2]);
    expect(stats).toMatchObject({ acceptedSamples: 10, skippedSamples: 0 });
  });

  it('keeps retrying a refused token slowly, logging it once', async () => {
    const { server, log, stats } = await run([batch(1)], (call, i) => (i < 3 ? { status: 401, body: '{"error":{"code":"unauthorized","message":"unknown or revoked token"}}' } : ok(call)));
    expect(server.calls).toHaveLength(4);
    expect(log.lines.filter((l) => l.message.includes('refuses the token'))).toHaveLength(1);
    expect(stats.acceptedSamples).toBe(2);
  });

  it('stops after its drain time when the server never answers, leaving the batches spooled', async () => {
    const spool = await Spool.open({ dir: join(root, `u${++dirs}`), maxBytes: 1 << 20 });
    await spool.append(batch(1));
    const uploader = startUploader({
      spool,
      client: { post: () => Promise.reject(new Error('ECONNREFUSED')) },
      log: recordingLogger(),
      maxSamplesPerRequest: 100,
      maxBackoffSeconds: 10,
    });
    const started = Date.now();
    await uploader.stop(0.3);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(spool.stats().pendingBatches).toBe(1);
    await spool.close();
  });
});
