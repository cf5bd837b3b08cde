/**
 * Issue 15, node metadata from slurpers (labels on samples), with no
 * mapping file and no `metadata` section: a real `ringmon serve`, samples
 * over real HTTP carrying labels, a server-run slurper whose samples carry
 * labels too, mail to a real SMTP server. ONE rule takes each node's
 * threshold (`critical: { meta: max_hours, default: 24 }`) from its labels,
 * and its contacts from the server-run slurper's labels only (a client's
 * are refused); the node is the series' first segment (no metadata.key).
 * The labels show in GET /api/v1/metadata, as displayName on GET
 * /api/v1/alarms and in the mail; a label the mapping file's rules refuse
 * is a 400 naming it, nothing stored; a changed label applies from the
 * sample that brings it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { testServerYaml } from '../../helpers/server-config.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-labels-e2e-');
const configFile = join(dir, 'ringmon.yaml');
const tokensFile = join(dir, 'tokens');
let sink: SmtpSink;
let server: RingmonProcess;
let base: string;
let token: string;

/** A slurper of the server's, for node `lab1`: 30 hours since contact, its name and limit as labels. */
const LAB = `import { defineSlurper, Type } from 'ringmon/slurper';
export default defineSlurper({
  name: 'lab',
  description: 'Hours since contact, with the node as labels.',
  options: Type.Object({}),
  async collect() {
    return [{ series: 'hours_since_contact', value: 30, labels: { name: 'Lab one', max_hours: 20, contacts: ['lab1@wards.example'] } }];
  },
});
`;

let lastT = 0;

async function post(samples: object[]): Promise<{ status: number; json: any }> { // any: the test reads the API's JSON
  const t = (lastT = Math.max(Math.floor(Date.now() / 1000), lastT + 1));
  return apiCall(base, 'POST', '/api/v1/samples', token, samples.map((s) => ({ ...s, t })));
}

type Alarm = { series: string; state: string; displayName?: string };
const alarms = async (): Promise<Alarm[]> => (await apiCall(base, 'GET', '/api/v1/alarms', token)).json.alarms as Alarm[];
const alarmOf = async (series: string): Promise<Alarm | undefined> => (await alarms()).find((a) => a.series === series);
const mailTo = (address: string) => sink.received.filter((m) => m.envelopeTo.includes(address));

beforeAll(async () => {
  sink = await SmtpSink.start();
  token = addToken(tokensFile, 'admin', 'admin');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  mkdirSync(join(dir, 'slurpers'));
  writeFileSync(join(dir, 'slurpers', 'lab.ts'), LAB);
  const sections = [
    'slurpers:',
    `  dirs: [${join(dir, 'slurpers')}]`,
    '  instances:',
    '    - { slurper: lab, name: lab1, every: 1s }',
    'alarms:',
    '  groupWait: 0s',
    '  recipients: [{ name: support, email: [support@wards.example] }]',
    '  rules:',
    '    - name: contact',
    '      match: "*.hours_since_contact"',
    '      critical: { meta: max_hours, default: 24 }',
    '      notify: [support, { meta: contacts }]',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${sink.port}, starttls: never, from: ringmon@test.example, timeout: 5s }`,
  ].join('\n');
  writeFileSync(configFile, testServerYaml({ port, dataDir: join(dir, 'data'), tokensFile, log: 'info' }, sections));
  server = launcher.run(['serve', '--config', configFile]);
  await until(() => server.output().includes('ringmon listening on'), 'the server listens', 60_000);
}, 90_000);

afterAll(async () => {
  await sink?.stop();
});

describe('node metadata from labels, without a mapping file', () => {
  it("a node's labels give its threshold and display name (over HTTP)", async () => {
    // 30 hours: under b01's own 36, over b02's own 12; the default 24 would alarm both.
    const answer = await post([
      { series: 'b01.hours_since_contact', v: 30, labels: { name: 'Broker one', max_hours: 36, site: 'ward-3' } },
      { series: 'b02.hours_since_contact', v: 30, labels: { name: 'Broker two', max_hours: 12 } },
    ]);
    expect(answer.status).toBe(200);
    await until(() => mailTo('support@wards.example').some((m) => m.subject?.includes('Broker two')), 'a mail to support naming Broker two', 60_000);
    expect(mailTo('support@wards.example').find((m) => m.subject?.includes('Broker two'))?.subject).toContain('Broker two: b02.hours_since_contact = 30 (> 12)');

    expect(await alarmOf('b02.hours_since_contact')).toMatchObject({ state: 'CRITICAL', displayName: 'Broker two' });
    expect(await alarmOf('b01.hours_since_contact')).toMatchObject({ state: 'OK', displayName: 'Broker one' });
    expect(mailTo('support@wards.example').some((m) => m.subject?.includes('Broker one'))).toBe(false);

    const metadata = await apiCall(base, 'GET', '/api/v1/metadata?limit=1000', token);
    expect(metadata.status).toBe(200);
    expect(metadata.json.nodes).toContainEqual({ id: 'b01', displayName: 'Broker one', fields: { name: 'Broker one', max_hours: 36, site: 'ward-3' } });
  }, 90_000);

  it("a server-run slurper's labels do the same", async () => {
    await until(() => mailTo('lab1@wards.example').length > 0, "a mail to lab1's contacts", 60_000);
    expect(mailTo('lab1@wards.example')[0].subject).toContain('Lab one: lab1.hours_since_contact = 30 (> 20)');
    expect(await alarmOf('lab1.hours_since_contact')).toMatchObject({ state: 'CRITICAL', displayName: 'Lab one' });
  }, 90_000);

  it('a changed label applies from the sample that brings it', async () => {
    const answer = await post([{ series: 'b01.hours_since_contact', v: 30, labels: { max_hours: 20 } }]);
    expect(answer.status).toBe(200);
    await until(() => mailTo('support@wards.example').some((m) => m.subject?.includes('Broker one')), 'a mail to support naming Broker one', 60_000);
    expect(mailTo('support@wards.example').find((m) => m.subject?.includes('Broker one'))?.subject).toContain('Broker one: b01.hours_since_contact = 30 (> 20)');
  }, 90_000);

  it('refuses a label the field rules refuse: a 400 naming it, nothing stored', async () => {
    const bad = await post([
      { series: 'b03.hours_since_contact', v: 1 },
      { series: 'b04.hours_since_contact', v: 1, labels: { name: 'Broker four', contacts: ['Mallory <m@evil.example>'] } },
    ]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('body/1/labels/contacts');
    expect(JSON.stringify(bad.json)).toContain('may come only from the metadata file');
    // A valid address too: an ingest token does not choose where alarm mail goes.
    const contact = await post([{ series: 'b04.hours_since_contact', v: 1, labels: { contacts: ['b04@wards.example'] } }]);
    expect(contact.status).toBe(400);
    expect(JSON.stringify(contact.json)).toContain('body/0/labels/contacts');
    const tooMany = await post([{ series: 'b04.hours_since_contact', v: 1, labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, i])) }]);
    expect(tooMany.status).toBe(400);
    const metadata = await apiCall(base, 'GET', '/api/v1/metadata?limit=1000', token);
    expect(metadata.json.nodes.map((n: { id: string }) => n.id)).not.toContain('b04');
    expect((await apiCall(base, 'GET', '/api/v1/series?match=b03.**', token)).json.series).toEqual([]);
  }, 30_000);

  it('stops cleanly', async () => {
    server.stop();
    expect(await server.exited).toBe(0);
  }, 60_000);
});
