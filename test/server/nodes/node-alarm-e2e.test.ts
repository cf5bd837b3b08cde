/**
 * The node-down alarm and inhibition with real processes: a real `ringmon
 * serve` with a real SMTP server, three `ringmon agent` processes that
 * heartbeat every second (nodes: late after 4 s, down after 14 s), and a
 * rule with nodata (8 s) on every series of theirs. One agent is killed
 * with SIGKILL: its series go NODATA while its node is late, recorded
 * inhibited by it; the node goes down: exactly one mail (node-down), none
 * per series. Restarted: exactly one more mail (the node's recovery), and
 * its series come back OK without a word.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { writeTestAgentYaml } from '../../helpers/agent-yaml.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-node-alarm-'));
const launcher = ringmonLauncher(dir);
let smtp: SmtpSink | undefined;
afterAll(async () => {
  launcher.killAll();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface AlarmOut {
  series: string;
  rule: string;
  state: string;
  inhibitedBy: string | null;
}
interface TransitionOut {
  series: string;
  rule: string;
  from: string;
  to: string;
  inhibitedBy: string | null;
}

const NAMES = ['node-a', 'node-b', 'node-c'];

function configText(port: number, smtpPort: number, dataDir: string): string {
  return `listen: { port: ${port} }
dataDir: ${dataDir}
slurpers:
  instances: []
archives:
  default:
    step: 1s
    rras: [RRA:AVERAGE:0.5:1:3600]
nodes:
  heartbeatInterval: 1s
  graceFactor: 4
  downAfter: 14s
  notify: [ops]
alarms:
  groupWait: 0
  rules:
    - name: checks
      match: ['node-a.**', 'node-b.**', 'node-c.**']
      nodata: 8s
      notify: [ops]
  recipients:
    - name: ops
      email: [ops@test.example]
notify:
  email:
    host: 127.0.0.1
    port: ${smtpPort}
    starttls: never
    from: ringmon@test.example
    timeout: 2s
  retry:
    initial: 1s
    max: 1s
`;
}

describe('the node-down alarm with real agents', () => {
  it('a killed agent is one mail, its series inhibited; restarted, one recovery mail', async () => {
    smtp = await SmtpSink.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'agents', 'ingest')}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'ringmon.yaml'), configText(port, smtp.port, dataDir));
    for (const name of NAMES) writeTestAgentYaml(dir, name);
    const startAgent = (name: string): RingmonProcess =>
      launcher.run(['agent', '--config', `${name}.yaml`], { RINGMON_URL: base, RINGMON_TOKEN_FILE: 'agent.token' });
    const alarms = async (): Promise<AlarmOut[]> => {
      const answer = await apiCall(base, 'GET', '/api/v1/alarms', viewer);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return answer.json.alarms as AlarmOut[];
    };
    const history = async (): Promise<TransitionOut[]> => {
      const answer = await apiCall(base, 'GET', '/api/v1/alarms/history?limit=1000', viewer);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return answer.json.transitions as TransitionOut[];
    };
    const inhibited = async (): Promise<number> => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).text();
      return Number(/^ringmon_alarm_transitions_inhibited_total (\d+)$/m.exec(text)?.[1]);
    };
    const ofNode = (node: string) => (a: { series: string }) => a.series.startsWith(`${node}.`);

    const server = launcher.run(['serve', '--config', 'ringmon.yaml']);
    await until(() => server.output().includes('ringmon listening'), 'the server to listen', 30_000);
    const agents = new Map(NAMES.map((name) => [name, startAgent(name)]));
    try {
      await until(async () => {
        const seen = await alarms();
        return NAMES.every((n) => seen.some((a) => ofNode(n)(a) && a.state === 'OK'));
      }, 'series of the three agents alarmed and OK', 60_000);

      agents.get('node-b')!.kill('SIGKILL');
      await agents.get('node-b')!.exited;
      await until(async () => (await alarms()).some((a) => a.series === 'node:node-b' && a.state === 'CRITICAL'), 'node-b down', 60_000);
      const [mail] = await smtp.waitFor(1, 30_000);
      expect(mail.subject).toContain('node:node-b');
      const seen = await alarms();
      const bSeries = seen.filter(ofNode('node-b'));
      expect(bSeries.length).toBeGreaterThan(0);
      for (const a of bSeries) expect(a, a.series).toMatchObject({ state: 'NODATA', inhibitedBy: 'node-b' });
      for (const a of seen.filter((x) => ofNode('node-a')(x) || ofNode('node-c')(x))) expect(a, a.series).toMatchObject({ state: 'OK', inhibitedBy: null });
      const recorded = (await history()).filter(ofNode('node-b'));
      expect(recorded.map((t) => `${t.from}>${t.to} ${t.inhibitedBy}`)).toEqual(bSeries.map(() => 'OK>NODATA node-b'));
      expect(await inhibited()).toBe(bSeries.length);

      agents.set('node-b', startAgent('node-b'));
      await until(async () => (await alarms()).some((a) => a.series === 'node:node-b' && a.state === 'OK'), 'node-b back', 60_000);
      await until(async () => (await alarms()).filter(ofNode('node-b')).every((a) => a.state === 'OK' && a.inhibitedBy === null), "node-b's series OK again", 60_000);
      const mails = await smtp.waitFor(2, 30_000);
      expect(mails[1].subject).toContain('node:node-b');
      expect(mails[1].subject).toMatch(/RECOVERED/);
      // Some more seconds of samples from all three: nothing more to tell.
      const firstOk = Date.now();
      await until(async () => Date.now() - firstOk > 4000 && (await alarms()).every((a) => a.state === 'OK'), 'four more seconds, all OK', 30_000);
      expect(smtp.received.map((m) => m.subject)).toHaveLength(2);
      const nodeRows = (await history()).filter((t) => t.series === 'node:node-b');
      expect(nodeRows.map((t) => `${t.rule} ${t.from}>${t.to}`)).toEqual(['node-down CRITICAL>OK', 'node-down OK>CRITICAL']);
    } finally {
      for (const agent of agents.values()) agent.stop();
      server.stop();
      await Promise.all([...agents.values()].map((a) => a.exited));
      expect(await server.exited).toBe(0);
    }
  }, 300_000);
});
