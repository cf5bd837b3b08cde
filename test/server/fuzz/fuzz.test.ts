/**
 * Issue 14, "done means": a fuzz test of 100,000 payloads across every route
 * of a real `ringmon serve` over loopback. The routes come from the server's
 * own OpenAPI document (/docs/json), so a new route is fuzzed without editing
 * this test; a few paths outside it (the web page, the API docs, unknown
 * paths) are added. The server holds series (one of 126 segments, as in the
 * glob blow-up), downtimes, an agent and a report, and has a token of every
 * role. Asserted: no answer is a 5xx, every request gets an answer, the server
 * is alive at the end (its process and /healthz), no refused mutating request
 * changes the state fingerprint, no answer carries a system file; GET /healthz,
 * asked every 20 ms by a separate process throughout, answers with p99 under
 * 100 ms. Printed: the seed, count, rate, statuses, findings and /healthz
 * p50/p99/max.
 *
 * FUZZ_PAYLOADS (default 100000) and FUZZ_SEED (default: drawn, printed) set
 * the run; the same seed draws the same requests. FUZZ_ROUTES, a regular
 * expression over "METHOD /path", narrows it to some routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken, ROLES } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';
import { WebhookSink } from '../../helpers/webhook-sink.js';
import { runFuzz, type FuzzFinding } from './fuzz-run.js';
import { routesOf, type FuzzRoute } from './openapi-routes.js';
import { differences, stateFingerprint } from './state-fingerprint.js';

const COUNT = Number(process.env.FUZZ_PAYLOADS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Only the routes whose "METHOD /path" this matches (all by default): to reproduce a finding on one route. */
const ROUTES = new RegExp(process.env.FUZZ_ROUTES ?? '');
const HEALTHZ_P99_MS = 100;

const dir = mkdtempSync(join(tmpdir(), 'ringmon-fuzz-'));
const launcher = ringmonLauncher(dir);
let sink: WebhookSink | undefined;
let prober: ChildProcess | undefined;
afterAll(async () => {
  prober?.kill('SIGKILL');
  launcher.killAll();
  await sink?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Paths the OpenAPI document does not list, fuzzed all the same. */
const UNDOCUMENTED: FuzzRoute[] = [
  { method: 'GET', path: '/{file}', pathParams: [{ name: 'file', schema: { type: 'string', enum: ['', 'index.html', 'app.js', 'favicon.ico', 'nothing'] } }], query: [] },
  { method: 'GET', path: '/docs/{file}', pathParams: [{ name: 'file', schema: { type: 'string', enum: ['', 'json', 'yaml', 'static/index.html'] } }], query: [] },
  { method: 'POST', path: '/api/v1/{name}', pathParams: [{ name: 'name', schema: { type: 'string', maxLength: 20 } }], query: [], body: { type: 'object' } },
];

const DEEP_SERIES = Array(126).fill('a').join('.');
const SERIES = ['web01.cpu.user', 'web01.load', 'web02.load', 'db.disk.free', 'fuzz.big', DEEP_SERIES];

const show = (findings: readonly FuzzFinding[]) => findings.slice(0, 20).map((f) => `  ${f.request}\n    -> ${f.what}`).join('\n');

describe('fuzzing every route of a real server', () => {
  it(`answers ${COUNT} payloads with no 5xx, stays alive, stores nothing refused, and /healthz stays fast`, async () => {
    sink = await WebhookSink.start();
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const tokensFile = join(dataDir, 'tokens');
    const tokens = Object.fromEntries(ROLES.map((role) => [role, addToken(tokensFile, `fuzz-${role}`, role)]));
    writeFileSync(
      join(dir, 'ringmon.yaml'),
      [
        `listen: { port: ${port} }`,
        `dataDir: ${dataDir}`,
        'log: { level: warn }',
        'slurpers:',
        '  instances: []',
        'alarms:',
        '  recipients:',
        `    - { name: ops, webhook: ["http://127.0.0.1:${sink.port}/hook"] }`,
        'reports:',
        '  - { name: morning, cron: "0 0 1 1 *", notify: [ops] }',
        '',
      ].join('\n'),
    );
    const proc = launcher.run(['serve', '--config', 'ringmon.yaml']);
    let exited: number | null | undefined;
    void proc.exited.then((code) => (exited = code));
    const base = `http://127.0.0.1:${port}`;
    const healthy = async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined))?.status === 200;
    await until(async () => exited !== undefined || (await healthy()), 'the server to answer /healthz', 60_000);
    expect(exited, `ringmon serve exited: ${proc.output()}`).toBeUndefined();

    // What the fuzzed requests find: series, downtimes, an agent.
    const now = Math.floor(Date.now() / 1000);
    const seeded = await apiCall(base, 'POST', '/api/v1/samples', tokens.admin, SERIES.map((series) => ({ series, t: now - 60, v: 1 })));
    expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);
    for (const scope of [{ series: ['web01.*'] }, { series: ['**'] }, { agents: ['fuzz-agent'] }]) {
      const filed = await apiCall(base, 'POST', '/api/v1/downtimes', tokens.admin, { scope, reason: 'fuzz', end: new Date((now + 86_400) * 1000).toISOString() });
      expect(filed.status, JSON.stringify(filed.json)).toBe(201);
    }
    const beat = await apiCall(base, 'POST', '/api/v1/agents/heartbeat', tokens.admin, { name: 'fuzz-agent', hostname: 'h', version: '1', instances: [{ name: 'web01', slurper: 'host', up: true, lastRun: now }], spooledSamples: 0 });
    expect(beat.status, JSON.stringify(beat.json)).toBeLessThan(300);

    // The fingerprint sees what a request stores (else "nothing stored" would prove nothing).
    const source = { client: new Pool(base), adminToken: tokens.admin, tokensFile };
    const unfiled = await stateFingerprint(source);
    const probe = await apiCall(base, 'POST', '/api/v1/downtimes', tokens.admin, { scope: { series: ['db.*'] }, reason: 'fingerprint probe', end: new Date((now + 3600) * 1000).toISOString() });
    expect(probe.status, JSON.stringify(probe.json)).toBe(201);
    expect(differences(unfiled, await stateFingerprint(source))).not.toEqual([]);
    await source.client.close();

    const document = (await (await fetch(`${base}/docs/json`)).json()) as Parameters<typeof routesOf>[0];
    const routes = [...routesOf(document), ...UNDOCUMENTED].filter((r) => ROUTES.test(`${r.method} ${r.path}`));

    const probing = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'healthz-prober.ts'), `${base}/healthz`], { stdio: ['pipe', 'pipe', 'inherit'] });
    prober = probing;
    let proberOutput = '';
    probing.stdout.on('data', (d: Buffer) => (proberOutput += d.toString()));
    const proberDone = new Promise((resolve) => probing.on('exit', resolve));

    const report = await runFuzz({
      base,
      routes,
      known: { series: SERIES, patterns: ['web01.*', '**', 'db.**', '*.load', 'a.**.a'], names: ['fuzz-agent', 'morning', 'web01', 'ops'], ids: [1, 2, 3, 4, 5, 6], now },
      tokens,
      tokensFile,
      count: COUNT,
      seed: SEED,
      alive: () => exited === undefined,
      deadlineSeconds: 420,
    });
    probing.kill('SIGTERM');
    await proberDone;
    const healthz = JSON.parse(proberOutput.trim().split('\n').pop() ?? '{}') as { count: number; failures: number; p50: number; p99: number; max: number; firstFailures: string[] };
    const aliveAtEnd = exited === undefined && (await healthy());

    console.log(
      [
        `fuzz: seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_PAYLOADS=${COUNT}${process.env.FUZZ_ROUTES ? ` FUZZ_ROUTES='${process.env.FUZZ_ROUTES}'` : ''} to draw the same requests), ${routes.length} routes`,
        report.stoppedAt !== undefined ? `fuzz: STOPPED at ${report.stoppedAt.toFixed(1)} s: ${report.stoppedWhy} (exit ${String(exited)}); the server's last output: ${proc.output().slice(-1500)}` : '',
        `fuzz: ${report.sent} payloads in ${report.seconds.toFixed(1)} s (${Math.round(report.sent / report.seconds)}/s)`,
        `fuzz: statuses ${JSON.stringify(report.statuses)}`,
        `fuzz: by route ${JSON.stringify(report.byRoute)}`,
        `fuzz: timing ${JSON.stringify(report.timing)}`,
        `fuzz: refused mutating requests ${report.refusedMutating}, ${report.refusedMutatingChecked} checked by a state fingerprint`,
        `fuzz: /healthz every 20 ms: ${healthz.count} answers, p50 ${healthz.p50} ms, p99 ${healthz.p99} ms, max ${healthz.max} ms, ${healthz.failures} failures ${JSON.stringify(healthz.firstFailures)}`,
        `fuzz: 5xx ${report.serverErrors.length}, no answer ${report.noAnswer.length}, state changed by refused requests ${report.stateChanges.length}, leaks ${report.leaks.length}, alive at the end ${aliveAtEnd}`,
        report.serverErrors.length > 0 ? `5xx:\n${show(report.serverErrors)}` : '',
        report.noAnswer.length > 0 ? `no answer:\n${show(report.noAnswer)}` : '',
        report.stateChanges.length > 0 ? `state changed:\n${show(report.stateChanges)}` : '',
        report.leaks.length > 0 ? `leaks:\n${show(report.leaks)}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );

    expect(report.sent).toBe(COUNT);
    expect(report.serverErrors, show(report.serverErrors)).toEqual([]);
    expect(report.noAnswer, show(report.noAnswer)).toEqual([]);
    expect(report.stateChanges, show(report.stateChanges)).toEqual([]);
    expect(report.leaks, show(report.leaks)).toEqual([]);
    expect(aliveAtEnd, `the server exited (${String(exited)}): ${proc.output().slice(-2000)}`).toBe(true);
    expect(healthz.failures, JSON.stringify(healthz)).toBe(0);
    expect(healthz.p99, JSON.stringify(healthz)).toBeLessThan(HEALTHZ_P99_MS);
  }, 600_000);
});
