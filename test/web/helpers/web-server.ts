/**
 * A real `ringmon serve` for browser tests and the web benchmark: the web
 * client built from its sources, a fresh data directory, small archives (10 s for a day, 5 min for 8 days: about
 * 140 KB a series rather than the default's 1.7 MB), no slurpers, a writer,
 * a viewer and an ingest token, and samples ingested over HTTP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig } from '../../../server/config/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { buildWeb } from '../../../web/build.js';
import { freePort } from '../../helpers/free-port.js';

export interface WebTestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly writer: string;
  readonly viewer: string;
  /** A token with the ingest role (an agent's: samples and heartbeats). */
  readonly ingestToken: string;
  /** POSTs samples ([series, unix seconds, value]) in batches; throws unless all are accepted. */
  ingest(samples: readonly (readonly [string, number, number | null])[]): Promise<void>;
  /** One JSON request with a token; throws on a status other than `expect`. */
  api<T>(method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, expect?: number): Promise<T>;
  close(): Promise<void>;
}

export interface WebTestServerOptions {
  readonly openReads?: boolean;
  /** Extra YAML appended to the config. */
  readonly extraConfig?: string;
  /** The archives' Graphite retentions; default 10 s for a day and 5 min for 8 days. */
  readonly retentions?: string;
  /** The archives' heartbeat: how long without a sample before a series has no data; default 20 s. */
  readonly heartbeat?: string;
  /**
   * The lines under `archives:` (indented by two spaces), in place of the
   * configured default above: e.g. rules for some series and none for the
   * rest, whose archives then fit their cadence (and are held until it is known).
   */
  readonly archives?: readonly string[];
}

const BATCH = 50_000;

export async function startWebTestServer(options: WebTestServerOptions = {}): Promise<WebTestServer> {
  // The bundle of the sources as they are now, not whatever an earlier build left in web/dist.
  await buildWeb();
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-web-'));
  const yaml = [
    'log:',
    '  level: silent',
    'auth:',
    `  openReads: ${options.openReads === true}`,
    'slurpers:',
    '  instances: []',
    'archives:',
    ...(options.archives ?? ['  default:', '    step: 10s', `    heartbeat: ${options.heartbeat ?? '20s'}`, `    retentions: ${options.retentions ?? '10s:1d,5m:8d'}`, '    cfs: [AVERAGE]']),
    options.extraConfig ?? '',
  ].join('\n');
  writeFileSync(join(dir, 'ringmon.yaml'), yaml);
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  const writer = addToken(config.auth.tokensFile, 'web-test-writer', 'writer');
  const viewer = addToken(config.auth.tokensFile, 'web-test-viewer', 'viewer');
  const ingestToken = addToken(config.auth.tokensFile, 'web-test-ingest', 'ingest');
  const server = await startServer(config);
  const url = server.url;

  async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, expect = method === 'POST' && path.endsWith('/downtimes') ? 201 : 200): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    server,
    url,
    writer,
    viewer,
    ingestToken,
    api,
    async ingest(samples) {
      for (let i = 0; i < samples.length; i += BATCH) {
        const body = samples.slice(i, i + BATCH).map(([series, t, v]) => ({ series, t, v }));
        const answer = await api<{ accepted: number; rejected: unknown[] }>('POST', '/api/v1/samples', writer, body);
        if (answer.rejected.length > 0) throw new Error(`samples rejected: ${JSON.stringify(answer.rejected.slice(0, 3))}`);
      }
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
