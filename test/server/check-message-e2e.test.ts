/**
 * A check's message in its notices, with real parts: a real server
 * (startServer) runs check_dummy 2 "disk full" through the nagios slurper;
 * its series `web01.disk.state` goes CRITICAL by the offered rule, and the
 * notice that a real SMTP server on loopback receives carries the plugin's
 * line in both bodies, as does the JSON a real webhook receiver gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { freePort } from '../helpers/free-port.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { until } from '../helpers/wait.js';
import { WebhookSink } from '../helpers/webhook-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-check-message-'));
let smtp: SmtpSink;
let hooks: WebhookSink;
let server: RunningServer;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  hooks = await WebhookSink.start();
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    [
      'log: { level: silent }',
      'slurpers:',
      '  instances:',
      '    - { slurper: nagios, name: web01.disk, every: 1s, options: { command: check_dummy, args: ["2", "disk full"] } }',
      'alarms:',
      '  groupWait: 0s',
      '  offered: { notify: [ops] }',
      '  recipients:',
      `    - { name: ops, email: [ops@test.example], webhook: ["${hooks.url('/ringmon')}"] }`,
      'notify:',
      `  email: { host: 127.0.0.1, port: ${smtp.port}, starttls: never, from: ringmon@test.example, timeout: 2s }`,
      '',
    ].join('\n'),
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  server = await startServer(config);
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
  await hooks?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface HookBody {
  readonly notices: readonly { readonly series: string; readonly status: string; readonly message?: string }[];
}

describe("a check's message", () => {
  it('is in the mail and in the webhook JSON of the notice about its state series', async () => {
    await until(() => smtp.received.some((m) => m.text.includes('web01.disk.state')), 'the CRITICAL mail', 30_000);
    const mail = smtp.received.find((m) => m.text.includes('web01.disk.state'));
    expect(mail?.subject).toBe('[ringmon] CRITICAL web01.disk.state = 2 (inside 2:2)');
    expect(mail?.text).toMatch(/^ {2}message: +CRITICAL: disk full$/m);
    expect(mail?.html).toContain('<tr><th align="left" style="padding-right:1em">message</th><td>CRITICAL: disk full</td></tr>');

    await until(() => hooks.calls.some((c) => (c.body as HookBody).notices.some((n) => n.series === 'web01.disk.state')), 'the webhook call', 10_000);
    const notices = hooks.calls.flatMap((c) => (c.body as HookBody).notices).filter((n) => n.series === 'web01.disk.state');
    expect(notices[0]).toMatchObject({ series: 'web01.disk.state', status: 'CRITICAL', message: 'CRITICAL: disk full' });
  }, 45_000);
});
