/**
 * A Nagios plugin's exit status reaching alarms, with real processes: a
 * `ringmon serve` runs check_dummy through the nagios slurper, and a
 * `ringmon agent` runs another and sends to that server. The server's
 * check gives the series `<instance>.state` = 2 with the plugin's message
 * and a CRITICAL alarm through the offered rule, the message shown with the
 * alarm too; the agent's gives its
 * state value (1) and a WARNING, its message carried through the agent's
 * spool and upload to the server's series and alarm.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { testServerYaml } from '../../helpers/server-config.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-state-e2e-');
const ringmon = launcher.run;

describe('the state of a Nagios check as a series', () => {
  it("reaches the server's series and alarms, from the server's own slurpers and from an agent's", async () => {
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const admin = addToken(join(dataDir, 'tokens'), 'ops', 'admin');
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'box-agent', 'ingest')}\n`, { mode: 0o600 });
    writeFileSync(
      join(dir, 'ringmon.yaml'),
      testServerYaml({ port, dataDir }, { slurpers: { instances: [{ slurper: 'nagios', name: 'web01.disk', every: '1s', options: { command: 'check_dummy', args: ['2', 'disk full'] } }] } }),
    );
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'name: box-agent',
        'instances:',
        '  - { slurper: nagios, name: box.load, every: 1s, options: { command: check_dummy, args: ["1", "load high"] } }',
        'spool: { dir: spool, maxBytes: 1MiB }',
        'upload: { maxBackoffSeconds: 0.5 }',
        '',
      ].join('\n'),
    );
    const server = await launcher.serve('ringmon.yaml', `http://127.0.0.1:${port}`, 30_000);
    const agent = ringmon(['agent', '--config', 'agent.yaml'], { RINGMON_URL: `http://127.0.0.1:${port}`, RINGMON_TOKEN_FILE: 'agent.token' });
    const get = async (path: string): Promise<any> => { // any: the test walks the API's JSON
      const answer = await apiCall(`http://127.0.0.1:${port}`, 'GET', path, admin);
      expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBe(200);
      return answer.json;
    };
    const seriesOf = async (name: string): Promise<any> => (await get(`/api/v1/series?match=${name}`)).series[0]; // any: as above
    const alarmOf = async (name: string): Promise<any> => (await get(`/api/v1/alarms?series=${name}`)).alarms[0]; // any: as above
    try {
      await until(async () => (await alarmOf('web01.disk.state'))?.state === 'CRITICAL', "the server's check to alarm", 30_000);
      expect(await seriesOf('web01.disk.state')).toMatchObject({ series: 'web01.disk.state', lastValue: 2, message: 'CRITICAL: disk full' });
      expect(await alarmOf('web01.disk.state')).toMatchObject({ rule: 'offered', state: 'CRITICAL', value: 2, message: 'CRITICAL: disk full' });

      await until(async () => (await alarmOf('box.load.state'))?.state === 'WARNING', "the agent's check to alarm", 30_000);
      expect(await seriesOf('box.load.state')).toMatchObject({ series: 'box.load.state', lastValue: 1, message: 'WARNING: load high' });
      expect(await alarmOf('box.load.state')).toMatchObject({ rule: 'offered', state: 'WARNING', value: 1, message: 'WARNING: load high' });
    } finally {
      agent.stop();
      server.stop();
      expect(await agent.exited).toBe(0);
      expect(await server.exited).toBe(0);
    }
  }, 90_000);
});
