/**
 * With auth.openReads on, what an anonymous reader gets must hold no
 * recipient's address: a real `ringmon serve` (a process) with open reads,
 * a real SMTP server, a metadata file giving a node its contacts and a rule
 * mailing them and `ops`. Once a notice went out (so the notification log
 * holds both addresses), every GET route of the OpenAPI document without a
 * path parameter is asked with no token, and no answer may carry either
 * address. The notification log needs an operator token (a viewer's is
 * refused: dashboards and scrapers hold those); the metadata answers an
 * anonymous reader with ids and display names only.
 *
 * Failed on the old code: GET /api/v1/notifications answered anonymously
 * with both addresses, GET /api/v1/metadata with the node's contacts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const OPS = 'ops.desk@hospital.example';
const CONTACT = 'dr.lab-contact@hospital.example';
const { dir, launcher } = launcherInTempDir('ringmon-anonymous-reads-');
let smtp: SmtpSink;
let base = '';
const tokens: Record<'admin' | 'operator' | 'viewer' | 'ingest', string> = { admin: '', operator: '', viewer: '', ingest: '' };

beforeAll(async () => {
  smtp = await SmtpSink.start(0);
  const tokensFile = join(dir, 'tokens');
  for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) tokens[role] = addToken(tokensFile, `${role}-token`, role);
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, `lab1:\n  name: Lab one\n  owner: Lab team\n  contacts: [${CONTACT}]\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = testServerYaml({ port, dataDir: join(dir, 'data'), tokensFile, openReads: true, log: 'warn' }, NO_SLURPERS, {
    archives: { default: { step: '1s', heartbeat: '5s', rras: ['RRA:AVERAGE:0.5:1:600'] } },
    metadata: { file: metadataFile, key: '{node}.**' },
    alarms: {
      groupWait: '0s',
      rules: [{ name: 'temp', match: 'lab1.temp', critical: '> 30', notify: ['ops', { meta: 'contacts' }] }],
      recipients: [{ name: 'ops', email: [OPS] }],
    },
    notify: { email: { host: '127.0.0.1', port: smtp.port, starttls: 'never', from: 'ringmon@hospital.example' } },
  });
  writeFileSync(join(dir, 'ringmon.yaml'), config);
  // Generous: a loaded machine (the suite's other servers) has taken more than a minute to start one.
  await launcher.serve(join(dir, 'ringmon.yaml'), base, 150_000);
  const now = Math.floor(Date.now() / 1000);
  const posted = await apiCall(base, 'POST', '/api/v1/samples', tokens.ingest, [
    { series: 'lab1.temp', t: now - 2, v: 20 },
    { series: 'lab1.temp', t: now - 1, v: 35 },
  ]);
  expect(posted.status).toBe(200);
  await until(() => smtp.received.length >= 1, 'the CRITICAL mail', 60_000);
  await until(async () => (await apiCall(base, 'GET', '/api/v1/notifications', tokens.admin)).json.notifications.some((n: { status: string }) => n.status === 'sent'), 'the notification sent', 60_000);
}, 240_000);

afterAll(async () => {
  await smtp?.stop();
});

async function anonymous(path: string): Promise<{ status: number; text: string }> {
  const res = await request(`${base}${path}`);
  return { status: res.statusCode, text: await res.body.text() };
}

describe('anonymous reads with auth.openReads on', () => {
  it('the notification log holds both addresses, for an operator', async () => {
    const log = await apiCall(base, 'GET', '/api/v1/notifications', tokens.operator);
    expect(log.status).toBe(200);
    const to = (log.json.notifications as { to: string }[]).map((n) => n.to).join(' ');
    expect(to).toContain(OPS);
    expect(to).toContain(CONTACT);
  });

  it('refuses the notification log without a token (401) and to a viewer token (403)', async () => {
    const answer = await anonymous('/api/v1/notifications');
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain(OPS);
    expect((await apiCall(base, 'GET', '/api/v1/notifications', tokens.viewer)).status).toBe(403);
  });

  it('gives the metadata anonymously as ids and display names only; fields to a token', async () => {
    const open = await anonymous('/api/v1/metadata');
    expect(open.status).toBe(200);
    expect(JSON.parse(open.text)).toEqual({ nodes: [{ id: 'lab1', displayName: 'Lab one', fields: {} }] });
    const viewer = await apiCall(base, 'GET', '/api/v1/metadata', tokens.viewer);
    expect(viewer.json.nodes[0].fields).toMatchObject({ owner: 'Lab team', contacts: [CONTACT] });
  });

  it('no GET route answers an anonymous reader with an address', async () => {
    const doc = await apiCall(base, 'GET', '/docs/json', undefined);
    const paths = Object.entries(doc.json.paths as Record<string, Record<string, unknown>>)
      .filter(([path, methods]) => 'get' in methods && !path.includes('{'))
      .map(([path]) => path);
    expect(paths).toContain('/api/v1/notifications');
    const leaks: string[] = [];
    for (const path of paths) {
      const { status, text } = await anonymous(path);
      if (text.includes(OPS) || text.includes(CONTACT)) leaks.push(`${path} (${status})`);
    }
    expect(leaks).toEqual([]);
  });
});
