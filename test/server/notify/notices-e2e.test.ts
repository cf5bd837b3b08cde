/**
 * Issue 16, the hospital broker monitor as its people see it: a real
 * `ringmon serve` with a mapping file (display names, contacts), one rule
 * with a unit, the support team as a Cc-only recipient, a static Cc list, a
 * public URL and a template for the wards' desk, samples over real HTTP and
 * a real SMTP server. The contact gets one mail To, support and the archive
 * in Cc, naming Broker two with 30.0 hours, no "was: OK", linking to the
 * public URL; the log lists it once with its To and Cc; the desk gets its
 * own template's words.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { SmtpSink, type ReceivedMail } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-notices-e2e-');
const SERIES = 'broker.node.b02.hours_since_contact';
let sink: SmtpSink;
let server: RingmonProcess | undefined;
let base: string;
let token: string;

const mailsTo = (address: string): ReceivedMail[] => sink.received.filter((m) => m.envelopeTo.includes(address));

beforeAll(async () => {
  sink = await SmtpSink.start();
  const tokensFile = join(dir, 'tokens');
  token = addToken(tokensFile, 'admin', 'admin');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'brokers.yaml'), ['b02:', '  name: Broker two', '  contacts: [lab-it@hospital.example]', 'b03:', '  name: Broker three', '  contacts: [desk@hospital.example]'].join('\n'));
  const sections = [
    'metadata:',
    `  file: ${join(dir, 'brokers.yaml')}`,
    '  key: broker.node.{node}.hours_since_contact',
    'alarms:',
    '  groupWait: 0s',
    '  publicUrl: https://monitor.hospital.example/',
    '  recipients:',
    '    - { name: support, cc: [support@hospital.example] }',
    '    - { name: wards, email: [wards@hospital.example] }',
    '  rules:',
    '    - name: broker-contact',
    '      match: broker.node.*.hours_since_contact',
    '      critical: 24',
    '      unit: hours',
    '      notify: [{ meta: contacts }, support]',
    '    - name: ward-contact',
    '      match: ward.*.hours_since_contact',
    '      critical: 24',
    '      unit: hours',
    '      notify: [wards]',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${sink.port}, starttls: never, from: ringmon@hospital.example, timeout: 5s, cc: [archive@hospital.example] }`,
    '  templates:',
    '    - name: wards',
    '      recipients: [wards]',
    '      subject: "Ward {{series}}: no contact for {{quantity}}"',
    '      text: "No contact for {{for}} since {{since}}. {{link}}"',
  ].join('\n');
  const configFile = join(dir, 'ringmon.yaml');
  writeFileSync(configFile, testServerYaml({ port, dataDir: join(dir, 'data'), tokensFile, log: 'info' }, NO_SLURPERS, sections));
  server = launcher.run(['serve', '--config', configFile]);
  await until(() => server?.output().includes('ringmon listening on') ?? false, 'the server listens', 60_000);
}, 90_000);

afterAll(async () => {
  await sink?.stop();
});

async function post(series: string, v: number): Promise<void> {
  const answer = await apiCall(base, 'POST', '/api/v1/samples', token, [{ series, t: Math.floor(Date.now() / 1000), v }]);
  expect(answer.status).toBe(200);
}

describe('the hospital broker monitor', () => {
  it("mails the node's contact To, support and the archive Cc, once, in words a person can act on", async () => {
    await post(SERIES, 30.0004);
    await until(() => mailsTo('lab-it@hospital.example').length > 0, 'the mail to the contact', 60_000);
    // The relay and the log settle: still one mail.
    await until(async () => (await apiCall(base, 'GET', '/api/v1/notifications?status=sent', token)).json.notifications.length === 1, 'the mail marked sent', 30_000);
    const mails = mailsTo('lab-it@hospital.example');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect([...mail.envelopeTo].sort()).toEqual(['archive@hospital.example', 'lab-it@hospital.example', 'support@hospital.example']);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : parsed.to).toBe('lab-it@hospital.example');
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.text : parsed.cc).toBe('support@hospital.example, archive@hospital.example');
    expect(mail.subject).toBe(`[ringmon] CRITICAL Broker two: ${SERIES} = 30.0 hours (> 24)`);
    expect(mail.text).toMatch(/value:\s+30\.0 hours/);
    // The status began with this event: no '(for 0s)'.
    expect(mail.text).toMatch(/since:\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);
    expect(mail.text).not.toMatch(/was:/);
    expect(mail.text).toContain(`https://monitor.hospital.example/?view=graph&s=${encodeURIComponent(SERIES)}`);
    expect(mail.text).not.toContain('127.0.0.1');

    const log = await apiCall(base, 'GET', '/api/v1/notifications', token);
    expect(log.json.notifications).toEqual([
      expect.objectContaining({ channel: 'email', recipient: 'lab-it@hospital.example, support', to: 'lab-it@hospital.example', cc: 'support@hospital.example, archive@hospital.example', status: 'sent', notices: 1 }),
    ]);
  }, 90_000);

  it("words the wards' mail with their template", async () => {
    await post('ward.w3.hours_since_contact', 25.5);
    await until(() => mailsTo('wards@hospital.example').length > 0, 'the mail to the wards', 60_000);
    const [mail] = mailsTo('wards@hospital.example');
    expect(mail.subject).toBe('Ward ward.w3.hours_since_contact: no contact for 25.5 hours');
    expect(mail.text).toMatch(/^No contact for 0s since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. https:\/\/monitor\.hospital\.example\/\?view=graph&s=ward\.w3\.hours_since_contact\n$/);
    expect(mail.html).toBe('');
    expect([...mail.envelopeTo].sort()).toEqual(['archive@hospital.example', 'wards@hospital.example']);
  }, 90_000);
});
