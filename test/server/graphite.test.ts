/**
 * Graphite's plaintext protocol into a real server: lines over TCP on
 * loopback, read back through the fetch API; bad lines are counted, not
 * stored, and do not break the connection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../helpers/free-port.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { parsePlaintextLine } from '../../server/graphite/plaintext-listener.js';
import { startServer, type RunningServer } from '../../server/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-graphite-'));
let server: RunningServer;
let viewer: string;
const T0 = 1_700_000_000;


beforeAll(async () => {
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    `listen:\n  port: ${await freePort()}\ngraphite:\n  enabled: true\n  port: ${await freePort()}\nlog:\n  level: silent\n`,
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { cwd: dir, env: {} });
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function send(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.graphite!.port, '127.0.0.1', () => socket.end(text));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

describe('graphite plaintext protocol', () => {
  it('parses lines as carbon does, naming what is wrong with bad ones', () => {
    // The clock is passed in: a line's time is judged against it (not too far ahead, not before 1980-01-27).
    const now = 1_700_000_042;
    expect(parsePlaintextLine('a.b.c 1.5 1700000000', now, 255)).toEqual({ series: 'a.b.c', time: 1700000000, value: 1.5 });
    expect(parsePlaintextLine('a.b 2 -1', now, 255)).toEqual({ series: 'a.b', time: now, value: 2 });
    expect(parsePlaintextLine('a.b nan 1700000000', now, 255)).toEqual({ series: 'a.b', time: 1700000000, value: null });
    expect(parsePlaintextLine('a..b 1 1700000000', now, 255)).toMatch(/not a valid series name/);
    expect(parsePlaintextLine('a.b x 1700000000', now, 255)).toMatch(/value 'x' is not a number/);
    expect(parsePlaintextLine('a.b 1 yesterday', now, 255)).toMatch(/timestamp 'yesterday'/);
    expect(parsePlaintextLine('a.b', now, 255)).toMatch(/expected 'path value timestamp'/);
    expect(parsePlaintextLine('a.b 1 1700000300', now, 255, 300)).toMatchObject({ time: 1700000300 });
    expect(parsePlaintextLine('a.b 1 1700000343', now, 255, 300)).toMatch(/^timestamp 1700000343 is 5m 1s ahead of the server clock \(1700000042\); limits.maxFutureSeconds is 300$/);
    expect(parsePlaintextLine('a.b 1 1700000042000', now, 255)).toMatch(/looks like milliseconds \(1700000042000 \/ 1000 = 1700000042\)$/);
    expect(parsePlaintextLine('a.b 1 1700000042000000', now, 255)).toMatch(/looks like microseconds/);
    expect(parsePlaintextLine('a.b 1 9999999999', now, 255)).toMatch(/^timestamp 9999999999 is 263 years ahead/);
    expect(parsePlaintextLine('a.b 1 315360001', now, 255)).toBe('timestamp 315360001 is before 317779200 (1980-01-27), the earliest time an archive can hold');
    expect(parsePlaintextLine(`a.${'s'.repeat(201)} 1 1700000000`, now, 255)).toMatch(/has a segment of 201 characters; the limit is 200/);
  });

  it('stores lines sent over TCP, skipping bad ones without dropping the connection', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `net.host1.rx ${i * 2} ${T0 + (i + 1) * 10}`);
    lines.splice(10, 0, 'garbage line here too', 'net.host1.rx notanumber 1700000200');
    await send(`${lines.join('\n')}\n`);
    // The protocol has no acknowledgement; the listener batches for up to 100 ms.
    let rows: [number, number | null][] = [];
    for (let i = 0; i < 50 && rows.filter((r) => r[1] !== null).length < 50; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await request(`${server.url}/api/v1/fetch?series=net.host1.rx&start=${T0}&end=${T0 + 500}`, { headers: { authorization: `Bearer ${viewer}` } });
      const body = (await res.body.json()) as { series?: { rows: [number, number | null][] }[] };
      rows = body.series?.[0]?.rows ?? [];
    }
    const values = new Map(rows.map(([t, v]) => [t, v]));
    for (let i = 0; i < 50; i++) expect(values.get(T0 + (i + 1) * 10)).toBeCloseTo(i * 2, 9);
    expect(server.graphite!.stats.linesInvalid).toBe(2);
    expect(server.graphite!.stats.linesAccepted).toBe(50);
  });
});
