/**
 * The optional per-sample `message` of POST /api/v1/samples on a real
 * server: listed by GET /api/v1/series as the series' last message, bounded
 * (a longer one is a 400 naming the field, and nothing of the batch is
 * stored), and described in the OpenAPI document.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { MAX_MESSAGE_LENGTH } from '../../slurpers/contract.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-message-'));
let server: RunningServer;
let writer: string;
const T0 = 1_700_000_000;

beforeAll(async () => {
  writeFileSync(join(dir, 'ringmon.yaml'), 'log:\n  level: silent\nslurpers:\n  instances: []\n');
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  writer = addToken(config.auth.tokensFile, 'bot', 'writer');
  server = await startServer(config, { logStream: { write: () => true } as unknown as NodeJS.WritableStream });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST', path: string, body?: unknown) => apiCall(server.url, method, path, writer, body);

describe('POST /api/v1/samples: message', () => {
  it("keeps a sample's message as its series' last message, shown by GET /api/v1/series", async () => {
    const ingest = await call('POST', '/api/v1/samples', [
      { series: 'web01.check.state', t: T0 + 10, v: 2, message: 'CRITICAL: disk full', thresholds: { warning: '0', critical: '@2:2' } },
      { series: 'web01.check.up', t: T0 + 10, v: 1 },
    ]);
    expect(ingest).toEqual({ status: 200, json: { accepted: 2, rejected: [] } });
    const listed = await call('GET', '/api/v1/series?match=web01.check.*');
    expect(listed.json.series).toMatchObject([
      { series: 'web01.check.state', lastValue: 2, message: 'CRITICAL: disk full' },
      { series: 'web01.check.up', lastValue: 1 },
    ]);
    expect(listed.json.series[1]).not.toHaveProperty('message');
  });

  it(`refuses a message longer than ${MAX_MESSAGE_LENGTH} characters with a 400 naming the field, storing nothing`, async () => {
    const res = await call('POST', '/api/v1/samples', [
      { series: 'web02.check.up', t: T0 + 10, v: 1 },
      { series: 'web02.check.state', t: T0 + 10, v: 0, message: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.error.problems.map((p: { field: string }) => p.field)).toEqual(['body/1/message']);
    expect((await call('GET', '/api/v1/series?match=web02.**')).json.series).toEqual([]);
    const longest = await call('POST', '/api/v1/samples', [{ series: 'web02.check.state', t: T0 + 10, v: 0, message: 'x'.repeat(MAX_MESSAGE_LENGTH) }]);
    expect(longest).toEqual({ status: 200, json: { accepted: 1, rejected: [] } });
  });

  it('is described in the OpenAPI document', async () => {
    const docs = await apiCall(server.url, 'GET', '/docs/json', undefined);
    const sample = docs.json.paths['/api/v1/samples'].post.requestBody.content['application/json'].schema.items;
    expect(sample.properties.message).toMatchObject({ type: 'string', maxLength: MAX_MESSAGE_LENGTH, description: expect.stringContaining("series' last message") });
    expect(sample.required).not.toContain('message');
  });
});
