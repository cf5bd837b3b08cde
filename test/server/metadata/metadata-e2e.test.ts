/**
 * Issue 15, per-node settings without a rule per node: a real `ringmon
 * serve` with a mapping file of 50 nodes (display name, contacts, hours
 * without contact before the node is failed, weeks between reminders) and
 * ONE rule taking its threshold, reminders and recipients from it. Samples
 * of the hours-since-contact series come over real HTTP (scaled: a value
 * is the test's own figure, no clock waits on it), mail goes to a real
 * SMTP server. The nodes over their own limit are alarmed, each mail goes
 * to that node's contacts and names its display name; a series no node
 * claims takes the default and mails no one; a bad file is refused naming
 * the line and the old metadata kept; a node added to the file is alarmed
 * after a reload, with no restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-metadata-e2e-'));
const launcher = ringmonLauncher(dir);
const configFile = join(dir, 'ringmon.yaml');
const nodesFile = join(dir, 'nodes.yaml');
const tokensFile = join(dir, 'tokens');
let sink: SmtpSink;
let server: RingmonProcess;
let base: string;
let token: string;

/** Node i: a limit of 10 "hours" for even i, 100 for odd i; its own contact. */
const NODES = Array.from({ length: 50 }, (_, i) => {
  const id = `b${String(i).padStart(2, '0')}`;
  return { id, name: `Broker ${i}`, contacts: [`${id}@wards.example`], max_hours: i % 2 === 0 ? 10 : 100, reminder_weeks: 1 + (i % 3) };
});

function writeNodes(nodes: readonly (typeof NODES)[number][]): void {
  const lines = nodes.map((n) => `${n.id}: { name: "${n.name}", owner: ward, contacts: [${n.contacts.join(', ')}], max_hours: ${n.max_hours}, reminder_weeks: ${n.reminder_weeks} }`);
  writeFileSync(nodesFile, `${lines.join('\n')}\n`);
}

let lastT = 0;

/** Samples at a time after the last ones: a series takes one sample a second at most. */
async function post(samples: { series: string; v: number }[]): Promise<void> {
  const t = (lastT = Math.max(Math.floor(Date.now() / 1000), lastT + 1));
  const answer = await apiCall(base, 'POST', '/api/v1/samples', token, samples.map((s) => ({ ...s, t })));
  expect(answer.status).toBe(200);
}

async function alarms(): Promise<{ series: string; state: string; displayName?: string }[]> {
  return (await apiCall(base, 'GET', '/api/v1/alarms', token)).json.alarms as { series: string; state: string; displayName?: string }[];
}

const mailTo = (address: string) => sink.received.filter((m) => m.envelopeTo.includes(address));

beforeAll(async () => {
  sink = await SmtpSink.start();
  token = addToken(tokensFile, 'admin', 'admin');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeNodes(NODES);
  const rule = [
    'alarms:',
    '  groupWait: 0s',
    '  recipients: [{ name: support, email: [support@wards.example] }]',
    '  rules:',
    '    - name: contact',
    '      match: broker.age.*',
    '      critical: { meta: max_hours, default: 24 }',
    '      renotify: { meta: reminder_weeks, unit: w, default: 1w }',
    '      notify: [{ meta: contacts }]',
    'metadata:',
    `  file: ${nodesFile}`,
    '  key: broker.age.{node}',
    '  checkEvery: 1s',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${sink.port}, starttls: never, from: ringmon@test.example, timeout: 5s }`,
  ].join('\n');
  writeFileSync(configFile, testServerYaml({ port, dataDir: join(dir, 'data'), tokensFile, log: 'info' }, NO_SLURPERS, rule));
  server = launcher.run(['serve', '--config', configFile]);
  await until(() => server.output().includes('ringmon listening on'), 'the server listens', 60_000);
}, 90_000);

afterAll(async () => {
  launcher.killAll();
  await sink?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('one rule for 50 nodes from a mapping file', () => {
  it("alarms the nodes over their own limit, each mail to that node's contacts naming its display name", async () => {
    // 50 "hours" without contact: over the limit of the even nodes (10), under that of the odd ones (100); b99 has no metadata (default 24).
    await post([...NODES.map((n) => ({ series: `broker.age.${n.id}`, v: 50 })), { series: 'broker.age.b99', v: 50 }]);
    const over = NODES.filter((n) => n.max_hours < 50);
    await until(() => over.every((n) => mailTo(n.contacts[0]).length > 0), 'a mail to each node over its limit', 60_000);

    for (const n of over) {
      const [mail] = mailTo(n.contacts[0]);
      expect(mail.envelopeTo).toEqual(n.contacts);
      expect(mail.subject).toContain(`${n.name}: broker.age.${n.id} = 50 (> ${n.max_hours})`);
      expect(mail.text).toContain(n.name);
    }
    const current = await alarms();
    const critical = current.filter((a) => a.state === 'CRITICAL').map((a) => a.series).sort();
    expect(critical).toEqual([...over.map((n) => `broker.age.${n.id}`), 'broker.age.b99'].sort());
    expect(current.find((a) => a.series === 'broker.age.b02')?.displayName).toBe('Broker 2');
    expect(current.find((a) => a.series === 'broker.age.b99')?.displayName).toBeUndefined();
    // Nobody else was written to: no mail for the nodes under their limit, none for b99 (no contacts).
    expect(new Set(sink.received.flatMap((m) => m.envelopeTo))).toEqual(new Set(over.map((n) => n.contacts[0])));
  }, 90_000);

  it('shows the metadata read-only, a page at a time', async () => {
    const first = await apiCall(base, 'GET', '/api/v1/metadata?limit=20', token);
    expect(first.status).toBe(200);
    expect(first.json.nodes).toHaveLength(20);
    expect(first.json.nodes[3]).toEqual({ id: 'b03', displayName: 'Broker 3', fields: { name: 'Broker 3', owner: 'ward', contacts: ['b03@wards.example'], max_hours: 100, reminder_weeks: 1 } });
    const rest = await apiCall(base, 'GET', `/api/v1/metadata?limit=1000&after=${first.json.next}`, token);
    expect(rest.json.nodes).toHaveLength(30);
    expect(rest.json.next).toBeUndefined();
    expect((await apiCall(base, 'GET', '/api/v1/metadata?limit=1001', token)).status).toBe(400);
  }, 30_000);

  it('refuses a bad file naming the line, and keeps the metadata in force', async () => {
    writeFileSync(nodesFile, 'b00: { name: Broker 0, contacts: [not-an-address] }\n');
    await until(() => server.output().includes('the file is refused'), 'the refusal in the log', 30_000);
    expect(server.output()).toMatch(/metadata: the file is refused, the metadata in force is kept: .*nodes\.yaml: line 1, node 'b00', field 'contacts': must be e-mail addresses/);
    const reload = await apiCall(base, 'POST', '/api/v1/admin/reload', token);
    expect(reload.status).toBe(200);
    expect((await apiCall(base, 'GET', '/api/v1/metadata?limit=1000', token)).json.nodes).toHaveLength(50);
    // Still the old limits: b01 (100) stays OK at 60, b04 (10) stays alarmed.
    await post([{ series: 'broker.age.b01', v: 60 }]);
    expect((await alarms()).find((a) => a.series === 'broker.age.b01')?.state).toBe('OK');
  }, 60_000);

  it('alarms a node added to the file after a reload, with no restart', async () => {
    // b50, unknown: 20 is under the default 24.
    await post([{ series: 'broker.age.b50', v: 20 }]);
    await until(async () => (await alarms()).some((a) => a.series === 'broker.age.b50'), 'b50 is watched by the rule', 10_000);
    expect((await alarms()).find((a) => a.series === 'broker.age.b50')?.state).toBe('OK');

    const added = { id: 'b50', name: 'Broker 50', contacts: ['b50@wards.example'], max_hours: 12, reminder_weeks: 2 };
    writeNodes([...NODES, added]);
    const reload = await apiCall(base, 'POST', '/api/v1/admin/reload', token);
    expect(reload.status).toBe(200);
    await until(() => server.output().includes('metadata: 51 nodes'), 'the new file is in force', 30_000);
    await post([{ series: 'broker.age.b50', v: 20 }]);
    await until(() => mailTo('b50@wards.example').length > 0, 'the added node is told', 30_000);
    expect(mailTo('b50@wards.example')[0].subject).toContain('Broker 50: broker.age.b50 = 20');
    expect(server.output()).not.toMatch(/ringmon listening on[\s\S]*ringmon listening on/);
  }, 60_000);

  it('stops cleanly', async () => {
    server.stop();
    expect(await server.exited).toBe(0);
  }, 60_000);
});
