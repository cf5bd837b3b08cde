/**
 * The state-set rule end to end, with real processes: a fake node API (a
 * node:http server on 127.0.0.1 whose answers the test changes), a real
 * `ringmon serve` polling it every second with the built-in json slurper
 * (raw codes kept beside the states), two sites — `strict` judged by
 * { ok: [6] }, `lenient` (a listed site) by { ok: [5, 6] } — and a real SMTP
 * server. A strict node at 5 is alarmed with the raw 5 in the mail; the
 * same 5 in the lenient site is not; a single 5 among 6s makes the `all`
 * window bad, and the node recovers only once the window holds only 6s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher } from '../../helpers/ringmon-process.js';
import { SmtpSink, type ReceivedMail } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const WINDOW_SECONDS = 3;
const dir = mkdtempSync(join(tmpdir(), 'ringmon-state-set-e2e-'));
const launcher = ringmonLauncher(dir);

/** The fake node API: each node's state now, and a state to answer once (the next request only). */
const nodes = [
  { name: 'n1', site: 'strict', state: 6 },
  { name: 'n2', site: 'strict', state: 6 },
  { name: 'n3', site: 'lenient', state: 6 },
];
const once = new Map<string, number>();
let requests = 0;
const api: Server = createServer((_req, res) => {
  requests++;
  const answer = nodes.map((n) => ({ ...n, state: once.get(n.name) ?? n.state }));
  once.clear();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ nodes: answer }));
});
const node = (name: string) => nodes.find((n) => n.name === name) ?? expect.fail(`no node ${name}`);

let smtp: SmtpSink | undefined;
afterAll(async () => {
  launcher.killAll();
  await smtp?.stop();
  await new Promise((resolve) => api.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const configText = (port: number, apiPort: number, smtpPort: number, dataDir: string): string => `
listen: { port: ${port} }
dataDir: ${dataDir}
archives:
  default: { step: 1s, heartbeat: 5s, rras: ['RRA:LAST:0.5:1:600'] }
slurpers:
  instances:
    - slurper: json
      name: fleet
      every: 1s
      options:
        url: http://127.0.0.1:${apiPort}/nodes
        states:
          - path: 'nodes[*].state'
            series: '{site}.{name}.state'
            raw: '{site}.{name}.code'
            ok: [6]
            overrideBy: site
            overrides: { lenient: { ok: [5, 6] } }
alarms:
  groupWait: 0
  recipients: [{ name: ops, email: [ops@test.example] }]
  rules:
    - name: strict-up
      match: 'fleet.strict.*.code'
      states: { ok: [6], window: ${WINDOW_SECONDS}s, require: all }
      notify: [ops]
    - name: listed-up
      match: 'fleet.lenient.*.code'
      states: { ok: [5, 6], window: ${WINDOW_SECONDS}s, require: all }
      notify: [ops]
notify:
  email: { host: 127.0.0.1, port: ${smtpPort}, starttls: never, from: ringmon@test.example, timeout: 2s }
`;

describe('a state-set rule on a fake node API', () => {
  it('alarms a strict node at 5 with the raw 5, not a listed one, on a single bad value, and recovers after a window of good ones', async () => {
    const apiPort = await new Promise<number>((resolve) => api.listen(0, '127.0.0.1', () => resolve((api.address() as { port: number }).port)));
    smtp = await SmtpSink.start();
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'review', 'viewer');
    writeFileSync(join(dir, 'ringmon.yaml'), configText(port, apiPort, smtp.port, dataDir));
    const server = launcher.run(['serve', '--config', 'ringmon.yaml']);
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string): Promise<any> => { // any: the test walks the API's JSON
      const answer = await apiCall(base, 'GET', path, viewer);
      expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBe(200);
      return answer.json;
    };
    const alarmOf = async (series: string): Promise<any> => (await get(`/api/v1/alarms?series=${series}`)).alarms[0]; // any: as above
    const historyOf = async (series: string): Promise<any[]> => (await get(`/api/v1/alarms/history?series=${series}`)).transitions; // any: as above
    const mails = (): ReceivedMail[] => smtp?.received ?? [];
    const about = (series: string): ReceivedMail[] => mails().filter((m) => m.text.includes(series));
    const [n1, n2, n3] = ['fleet.strict.n1.code', 'fleet.strict.n2.code', 'fleet.lenient.n3.code'];
    try {
      await until(() => server.output().includes('ringmon listening'), 'the server to listen', 60_000).catch((e: Error) => expect.fail(`${e.message}: ${server.output()}`));
      const rules = (await get('/api/v1/rules')).rules;
      expect(rules.find((r: { name: string }) => r.name === 'listed-up')).toMatchObject({ states: { ok: [5, 6], window: WINDOW_SECONDS, require: 'all', level: 'CRITICAL' } });
      // Every node up, and judged: a state for each, OK.
      await until(async () => (await Promise.all([n1, n2, n3].map(alarmOf))).every((a) => a?.state === 'OK' && a.value === 6), 'three nodes judged OK', 60_000);

      // n1 and n3 go to 5 and stay.
      node('n1').state = 5;
      node('n3').state = 5;
      await until(async () => (await alarmOf(n1))?.state === 'CRITICAL', 'the strict node at 5 to alarm', 30_000);
      await until(() => about(n1).length > 0, 'the mail about n1', 30_000);
      const mailN1 = about(n1)[0];
      expect(mailN1?.subject).toBe(`[ringmon] CRITICAL ${n1} = 5 (5 not in {6})`);
      expect(mailN1?.text).toMatch(/value: +5\n/);
      expect(mailN1?.text).toMatch(/threshold: +5 not in \{6\}/);

      // n2 answers 5 once, among 6s.
      once.set('n2', 5);
      await until(async () => (await alarmOf(n2))?.state === 'CRITICAL', 'the single 5 to alarm', 30_000);
      // n2 is good again from its next sample; it recovers once the 5 left the window.
      await until(async () => (await alarmOf(n2))?.state === 'OK', 'the single 5 to leave the window', 30_000);
      const [bad, good] = await historyOf(n2).then((transitions) => [...transitions].sort((a, b) => a.id - b.id));
      expect(bad).toMatchObject({ from: 'OK', to: 'CRITICAL', value: 5, threshold: '5 not in {6}' });
      expect(good).toMatchObject({ from: 'CRITICAL', to: 'OK', value: 6 });
      expect(Date.parse(good.at) - Date.parse(bad.at)).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
      await until(() => about(n2).some((m) => m.subject.startsWith(`[ringmon] RECOVERED ${n2} = 6`)), 'the recovery mail about n2', 30_000);

      // n3 has been at 5 for the whole window by now, in the listed site: OK, told nothing.
      const n3Alarm = await alarmOf(n3);
      expect(n3Alarm).toMatchObject({ state: 'OK', value: 5 });
      expect(await historyOf(n3)).toEqual([]);
      expect(about(n3)).toEqual([]);

      // n1 back to 6: still CRITICAL until its window holds only 6s, then one recovery.
      const before = requests;
      node('n1').state = 6;
      await until(() => requests >= before + 2, 'the API to answer 6 twice', 30_000);
      await until(async () => (await alarmOf(n1))?.state === 'OK', 'n1 to recover', 30_000);
      const n1History = [...(await historyOf(n1))].sort((a, b) => a.id - b.id);
      expect(n1History.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual(['OK>CRITICAL', 'CRITICAL>OK']);
      await until(() => about(n1).length >= 2, 'the recovery mail about n1', 30_000);
      expect(about(n1).length).toBe(2);
      expect(about(n2).length).toBe(2);
    } finally {
      server.stop();
      expect(await server.exited).toBe(0);
    }
  }, 180_000);
});
