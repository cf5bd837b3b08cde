/**
 * The Graphite listener takes no token, so it bounds what a stranger can
 * hold (issue 14: 10,000 idle connections were all kept): real servers,
 * real sockets over loopback. Past graphite.maxConnections a new connection
 * is closed at once; a connection idle for graphite.idleTimeout is closed
 * while one that keeps sending stays; a client not in graphite.allow is
 * closed at once; each is counted in /metrics, and /healthz answers
 * throughout. And a value must be decimal: carbon's float() never read
 * `0x10` as 16.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { until } from '../../helpers/wait.js';
import { parsePlaintextLine } from '../../../server/graphite/plaintext-listener.js';

interface Client {
  readonly socket: Socket;
  /** Resolves when the connection closes, with the ms it lived after connecting. */
  readonly closed: Promise<number>;
  isClosed(): boolean;
}

/** A connection to the listener, resolved once connected. */
function open(port: number, localAddress = '127.0.0.1'): Promise<Client> {
  return new Promise((resolve, reject) => {
    let closedAt: number | undefined;
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => {
      const connectedAt = Date.now();
      const closed = new Promise<number>((done) => socket.once('close', () => done((closedAt = Date.now()) - connectedAt)));
      resolve({ socket, closed, isClosed: () => closedAt !== undefined });
    });
    socket.on('error', () => {}); // a reset from the server is what some tests expect
    socket.once('error', reject);
  });
}

async function healthz(url: string): Promise<number> {
  return (await fetch(`${url}/healthz`)).status;
}

async function metric(server: TestServer, name: string): Promise<number> {
  const res = await fetch(`${server.server.url}/metrics`, { headers: { authorization: `Bearer ${server.tokens.viewer}` } });
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

describe('past graphite.maxConnections', () => {
  let server: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startTestServer(`listen:\n  port: ${await freePort()}\ngraphite:\n  enabled: true\n  port: ${await freePort()}\n  maxConnections: 20\n  idleTimeout: 1h\nslurpers:\n  instances: []\nlog:\n  level: silent\n`);
  });
  afterAll(async () => {
    for (const c of clients) c.socket.destroy();
    await server?.stop();
  });

  it('closes new connections at once, counts them, and accepts again once one closes', async () => {
    const port = server.server.graphite!.port;
    for (let i = 0; i < 20; i++) clients.push(await open(port));
    await until(() => server.server.graphite!.stats.connectionsOpen === 20, '20 connections open');
    const extra = await Promise.all(Array.from({ length: 30 }, () => open(port)));
    const lived = await Promise.all(extra.map((c) => Promise.race([c.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 5000))])));
    expect(lived.filter((ms) => ms === Infinity)).toHaveLength(0);
    expect(Math.max(...lived)).toBeLessThan(2000);
    expect(clients.filter((c) => c.isClosed())).toHaveLength(0);
    expect(server.server.graphite!.stats.connectionsOverLimit).toBe(30);
    expect(await metric(server, 'ringmon_graphite_connections_over_limit_total')).toBe(30);
    expect(await metric(server, 'ringmon_graphite_connections')).toBe(20);
    expect(await healthz(server.server.url)).toBe(200);

    clients.shift()!.socket.destroy();
    await until(() => server.server.graphite!.stats.connectionsOpen === 19, 'a slot free');
    const late = await open(port);
    clients.push(late);
    late.socket.write(`cap.after 7 ${Math.floor(Date.now() / 1000)}\n`);
    await until(() => server.server.graphite!.stats.linesAccepted === 1, 'the line of the connection accepted again', 15_000);
    expect(late.isClosed()).toBe(false);
  });
});

describe('graphite.idleTimeout, graphite.allow and decimal values', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      `listen:\n  port: ${await freePort()}\ngraphite:\n  enabled: true\n  port: ${await freePort()}\n  idleTimeout: 1s\n  allow: [127.0.0.1, "::1/128"]\nslurpers:\n  instances: []\nlog:\n  level: silent\n`,
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('closes a connection idle for idleTimeout and keeps one that sends more often', async () => {
    const port = server.server.graphite!.port;
    const idle = await open(port);
    const busy = await open(port);
    const t0 = Math.floor(Date.now() / 1000);
    let n = 0;
    const ticker = setInterval(() => busy.socket.write(`idle.busy ${n} ${t0 + n++}\n`), 300);
    try {
      const lived = await Promise.race([idle.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 8000))]);
      expect(lived).toBeGreaterThanOrEqual(900);
      expect(lived).toBeLessThan(4000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(busy.isClosed()).toBe(false);
    } finally {
      clearInterval(ticker);
      busy.socket.destroy();
    }
    expect(server.server.graphite!.stats.connectionsIdleClosed).toBeGreaterThanOrEqual(1);
    expect(await metric(server, 'ringmon_graphite_connections_idle_closed_total')).toBeGreaterThanOrEqual(1);
    expect(await healthz(server.server.url)).toBe(200);
  });

  it('closes a client not in graphite.allow at once and counts it', async () => {
    const port = server.server.graphite!.port;
    const stranger = await open(port, '127.0.0.2');
    stranger.socket.write(`allow.stranger 1 ${Math.floor(Date.now() / 1000)}\n`);
    const lived = await Promise.race([stranger.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 5000))]);
    expect(lived).toBeLessThan(1000);
    expect(server.server.graphite!.stats.connectionsDenied).toBe(1);
    expect(await metric(server, 'ringmon_graphite_connections_denied_total')).toBe(1);
    const series = await apiCall(server.server.url, 'GET', '/api/v1/series', server.tokens.viewer);
    expect(JSON.stringify(series.json)).not.toContain('allow.stranger');
  });

  it('counts 0x10, 0b1, Infinity and 1_0 as bad lines and stores none of them', async () => {
    const now = 1_700_000_042;
    for (const value of ['0x10', '0X10', '0b1', '0o7', 'Infinity', '-Infinity', 'inf', '1_0', '1e400', '.', 'e5', '--1']) {
      expect(parsePlaintextLine(`a.b ${value} 1700000000`, now, 255)).toMatch(/^value '.*' is not a number in decimal \(like 42, -2\.5, 1e3, or nan\)$/);
    }
    // What carbon's float() takes as a number, and nan (carbon drops it; here it is UNKNOWN).
    for (const [text, value] of [['16', 16], ['-2.5', -2.5], ['+.5', 0.5], ['5.', 5], ['1e3', 1000], ['1.5E-3', 0.0015]] as const) {
      expect(parsePlaintextLine(`a.b ${text} 1700000000`, now, 255)).toEqual({ series: 'a.b', time: 1700000000, value });
    }
    expect(parsePlaintextLine('a.b nan 1700000000', now, 255)).toEqual({ series: 'a.b', time: 1700000000, value: null });

    const port = server.server.graphite!.port;
    const client = await open(port);
    const t = Math.floor(Date.now() / 1000) - 100;
    const stats = server.server.graphite!.stats;
    const [invalid, accepted] = [stats.linesInvalid, stats.linesAccepted];
    client.socket.end(`hex.value 0x10 ${t}\nhex.value 0b1 ${t + 1}\nhex.value Infinity ${t + 2}\nhex.other 0x10 ${t}\ndec.value 16 ${t}\n`);
    await client.closed;
    // The one decimal line is stored (acknowledged by the store: a new series waits for its cadence before it is listed).
    await until(() => stats.linesAccepted === accepted + 1, 'the decimal line stored', 15_000);
    expect(stats.linesInvalid - invalid).toBe(4);
    const series = await apiCall(server.server.url, 'GET', '/api/v1/series', server.tokens.viewer);
    expect(JSON.stringify(series.json)).not.toContain('hex.');
  });
});
