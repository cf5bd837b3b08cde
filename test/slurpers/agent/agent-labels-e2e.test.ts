/**
 * Labels from an agent's slurper reach the server's node metadata, with
 * real processes: a `ringmon agent` runs a slurper of its own whose sample
 * carries `{ name, max_hours }` and one bad label set, spools and uploads
 * them to a `ringmon serve`. The node (the series' first segment: no
 * metadata section) has its display name and field in GET /api/v1/metadata;
 * the bad labels are dropped by the agent with a warning and their sample
 * is stored all the same (a bad label never costs the batch). The unit a
 * sample declares travels the same way (spool, upload) to the series list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { until } from '../../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-agent-labels-');
const ringmon = launcher.run;

const BROKER = `import { defineSlurper, Type } from 'ringmon/slurper';
export default defineSlurper({
  name: 'broker',
  description: 'Hours since contact, the node described by labels.',
  options: Type.Object({}),
  async collect() {
    return [
      { series: 'hours_since_contact', value: 3, unit: 'hours', labels: { name: 'Broker nine', max_hours: 36 } },
      { series: 'queue', value: 1, labels: { contacts: ['Mallory <m@evil.example>'] } },
    ];
  },
});
`;

describe("an agent's slurper labels", () => {
  it("give the node's display name and fields on the server; a bad set is dropped by the agent, its sample kept", async () => {
    const port = await freePort();
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'box-agent', 'ingest')}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'ringmon.yaml'), testServerYaml({ port, dataDir }, NO_SLURPERS));
    mkdirSync(join(dir, 'agent-slurpers'));
    writeFileSync(join(dir, 'agent-slurpers', 'broker.ts'), BROKER);
    writeFileSync(
      join(dir, 'agent.yaml'),
      ['name: box-agent', 'slurperDirs: [agent-slurpers]', 'instances:', '  - { slurper: broker, name: b09, every: 1s }', 'spool: { dir: spool, maxBytes: 1MiB }', 'upload: { maxBackoffSeconds: 0.5 }', ''].join('\n'),
    );
    const base = `http://127.0.0.1:${port}`;
    const server = await launcher.serve('ringmon.yaml', base, 30_000);
    const agent = ringmon(['agent', '--config', 'agent.yaml'], { RINGMON_URL: base, RINGMON_TOKEN_FILE: 'agent.token' });
    try {
      await until(async () => (await apiCall(base, 'GET', '/api/v1/series?match=b09.queue', viewer)).json?.series?.length === 1, "the agent's samples", 40_000);
      const metadata = await apiCall(base, 'GET', '/api/v1/metadata', viewer);
      expect(metadata.status).toBe(200);
      expect(metadata.json.nodes).toEqual([{ id: 'b09', displayName: 'Broker nine', fields: { name: 'Broker nine', max_hours: 36 } }]);
      const listed = (await apiCall(base, 'GET', '/api/v1/series?match=b09.*', viewer)).json.series as { series: string; unit?: string }[];
      expect(Object.fromEntries(listed.map((s) => [s.series, s.unit]))).toMatchObject({ 'b09.hours_since_contact': 'hours', 'b09.queue': undefined, 'b09.duration_seconds': 's' });
      expect(agent.output()).toContain("b09.queue: labels not sent: label 'contacts': may come only from the metadata file");
    } finally {
      agent.stop();
      server.stop();
      expect(await agent.exited).toBe(0);
      expect(await server.exited).toBe(0);
    }
  }, 90_000);
});
