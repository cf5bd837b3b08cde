/**
 * An agent's series get an archive at their instance's cadence at once,
 * with real processes: a `ringmon agent` runs a check on a cron schedule
 * every 10 s and sends to a `ringmon serve`. The interval travels in the
 * spool and the upload, so the series' archive exists with a 10 s step
 * after its first sample; without it the server would hold the series until
 * three samples (20 s later) showed its cadence.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-agent-interval-');
const ringmon = launcher.run;

describe("an agent's cadence", () => {
  it('gives its series their archive and step with their first sample', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'box-agent', 'ingest')}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'ringmon.yaml'), testServerYaml({ port, dataDir }, NO_SLURPERS));
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'name: box-agent',
        'instances:',
        '  - { slurper: nagios, name: box.slow, cron: "*/10 * * * * *", options: { command: check_dummy, args: ["0", "fine"] } }',
        'spool: { dir: spool, maxBytes: 1MiB }',
        'upload: { maxBackoffSeconds: 0.5 }',
        '',
      ].join('\n'),
    );
    const base = `http://127.0.0.1:${port}`;
    const server = await launcher.serve('ringmon.yaml', base, 30_000);
    const agent = ringmon(['agent', '--config', 'agent.yaml'], { RINGMON_URL: base, RINGMON_TOKEN_FILE: 'agent.token' });
    try {
      await until(async () => (await apiCall(base, 'GET', '/api/v1/series?match=box.slow.up', viewer)).json?.series?.length === 1, "the agent's first sample", 40_000);
      const now = Math.ceil(Date.now() / 1000);
      const fetched = await apiCall(base, 'GET', `/api/v1/fetch?series=box.slow.up&start=${now - 60}&end=${now}`, viewer);
      expect(fetched.status, JSON.stringify(fetched.json)).toBe(200);
      expect(fetched.json.series[0].step).toBe(10);
      expect(fetched.json.series[0].rows.filter((r: [number, number | null]) => r[1] !== null).length).toBeGreaterThanOrEqual(1);
    } finally {
      agent.stop();
      server.stop();
      expect(await agent.exited).toBe(0);
      expect(await server.exited).toBe(0);
    }
  }, 90_000);
});
