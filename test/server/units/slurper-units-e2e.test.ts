/**
 * Units that slurpers declare, with real parts: a real server runs a
 * Nagios plugin (a script printing perfdata in ms and a `c` counter) and a
 * Munin plugin (a script whose graph_vlabel is `bytes per
 * ${graph_period}`); GET /api/v1/series lists their units as stored (`s`,
 * `count/s`, `B/s`, the host's duration_seconds in `s`), and the notice
 * of the offered threshold, whose rule sets no unit, reaches a real SMTP
 * server on loopback with the series' unit after the value.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig } from '../../../server/config/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-slurper-units-'));
let smtp: SmtpSink;
let server: RunningServer;
let viewer: string;

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, 0o700);
  return path;
}

beforeAll(async () => {
  smtp = await SmtpSink.start();
  const check = script('check_latency', '#!/bin/sh\necho "LATENCY CRITICAL - 950 ms | time=950ms;500;900;0 hits=$(date +%s)c"\nexit 2\n');
  const plugin = script(
    'net_bytes',
    '#!/bin/sh\nif [ "$1" = config ]; then\n  printf \'graph_title Traffic\\ngraph_vlabel bytes per ${graph_period}\\nrx.label received\\nrx.type DERIVE\\nrx.min 0\\n\'\n  exit 0\nfi\necho "rx.value $(date +%s)"\n',
  );
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    [
      'log: { level: silent }',
      'slurpers:',
      '  instances:',
      `    - { slurper: nagios, name: lab.check, every: 1s, options: { command: ${check} } }`,
      `    - { slurper: munin, name: lab.net, every: 1s, options: { plugin: ${plugin} } }`,
      'alarms:',
      '  groupWait: 0s',
      '  offered: { notify: [ops] }',
      '  recipients:',
      '    - { name: ops, email: [ops@test.example] }',
      'notify:',
      `  email: { host: 127.0.0.1, port: ${smtp.port}, starttls: never, from: ringmon@test.example, timeout: 2s }`,
      '',
    ].join('\n'),
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config, { logStream: { write: () => true } as unknown as NodeJS.WritableStream });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('units declared by slurpers', () => {
  it('lists the Nagios UOM and the Munin vlabel as the units of the stored values', async () => {
    const units = async (): Promise<Record<string, string | undefined>> => {
      const listed = (await apiCall(server.url, 'GET', '/api/v1/series?match=lab.**', viewer)).json.series as { series: string; unit?: string }[];
      return Object.fromEntries(listed.map((s) => [s.series, s.unit]));
    };
    await until(async () => Object.keys(await units()).length >= 7, 'the series of both instances', 20_000);
    expect(await units()).toEqual({
      // time=950ms: seconds; hits=Nc: a COUNTER of count, stored per second.
      'lab.check.time': 's',
      'lab.check.hits': 'count/s',
      'lab.check.up': undefined,
      'lab.check.state': undefined,
      'lab.check.duration_seconds': 's',
      // bytes per ${graph_period} on a DERIVE: B, stored per second.
      'lab.net.rx': 'B/s',
      'lab.net.up': undefined,
      'lab.net.duration_seconds': 's',
    });
  }, 30_000);

  it("prints the series' unit in the notice of a rule that sets none (the offered thresholds)", async () => {
    // The check's time and state go CRITICAL in the same run: one mail tells both.
    await until(() => smtp.received.some((m) => m.text.includes('lab.check.time')), 'the CRITICAL mail of lab.check.time', 20_000);
    const mail = smtp.received.find((m) => m.text.includes('lab.check.time'));
    expect(mail?.text).toMatch(/^CRITICAL lab\.check\.time = 0\.950 s \(> 0\.9\)\n {2}value: +0\.950 s$/m);
    // The state series has no unit: its value stands alone.
    expect(mail?.text).toMatch(/^CRITICAL lab\.check\.state = 2 \(inside 2:2\)\n {2}value: +2$/m);
  }, 30_000);
});
