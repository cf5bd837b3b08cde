/**
 * The slurpers a server runs itself: a user's slurper file dropped into a
 * configured folder runs on schedule, its samples reach the archives through
 * the store, a DERIVE it declares becomes a DERIVE archive, and every run
 * records `<instance>.up`. Bad slurper options stop the start naming the key.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { ConfigError, loadConfig } from '../../../server/config/index.js';
import { startServer } from '../../../server/index.js';
import { BUILTIN_SLURPERS } from '../../../slurpers/builtin/index.js';
import { prepareInstances, slurperRegistry } from '../../../slurpers/index.js';
import { freePort } from '../../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-server-slurpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user's slurper: a byte count that grows by 1000 per second of its run time, declared DERIVE, so its rate is 1000/s. */
const COUNTER_SLURPER = `export default {
  name: 'bytes',
  description: 'A counter growing by 1000 per second.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  async collect(ctx) {
    return [{ series: 'sent_bytes', value: ctx.now * 1000, kind: 'DERIVE' }, { series: 'mood', value: 7 }];
  },
};
`;

async function configFile(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\narchives:\n  default: { step: 1s, heartbeat: 5s, rras: ["RRA:AVERAGE:0.5:1:600"] }\n${body}`);
  return path;
}

describe('server-run slurpers', () => {
  it('runs a dropped-in slurper file and the built-ins, archiving a declared DERIVE as rates', async () => {
    const slurperDir = join(dir, 'slurpers');
    mkdirSync(slurperDir);
    writeFileSync(join(slurperDir, 'bytes.js'), COUNTER_SLURPER);
    const config = loadConfig(
      await configFile(
        'run.yaml',
        `slurpers:\n  dirs: [${slurperDir}]\n  instances:\n    - { slurper: bytes, name: lab.bytes, every: 1s }\n    - { slurper: host, name: host.lab, every: 1s, options: { cpuSampleSeconds: 0.2 } }\n`,
      ),
      { env: {}, cwd: dir },
    );
    const admin = addToken(config.auth.tokensFile, 'ops', 'admin');
    const server = await startServer(config);
    const get = async (path: string) => {
      const res = await request(`${server.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      return (await res.body.json()) as Record<string, any>; // any: assertions walk arbitrary JSON
    };
    try {
      await new Promise((r) => setTimeout(r, 4500));
      await request(`${server.url}/api/v1/admin/flush`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } }).then((r) => r.body.dump());
      const listed = await get('/api/v1/series?match=lab.bytes.**');
      const byName = new Map<string, any>(listed.series.map((s: { series: string }) => [s.series, s])); // any: listing entries
      expect([...byName.keys()].sort()).toEqual(['lab.bytes.duration_seconds', 'lab.bytes.mood', 'lab.bytes.sent_bytes', 'lab.bytes.up']);
      expect(JSON.stringify(byName.get('lab.bytes.sent_bytes'))).toContain('DERIVE');
      expect(JSON.stringify(byName.get('lab.bytes.mood'))).toContain('GAUGE');
      expect(byName.get('lab.bytes.up').lastValue).toBe(1);

      const now = Math.floor(Date.now() / 1000);
      const fetched = await get(`/api/v1/fetch?series=lab.bytes.sent_bytes&start=${now - 10}&end=${now}`);
      const rates = (fetched.series[0].rows as [number, number | null][]).map(([, v]) => v).filter((v): v is number => v !== null);
      // The first known step is only partly covered (rrdtool's rule for a new archive's first PDP); the rest are whole.
      expect(rates.length).toBeGreaterThanOrEqual(2);
      for (const rate of rates.slice(1)) expect(rate).toBeCloseTo(1000, 2);

      const host = await get('/api/v1/series?match=host.lab.**');
      const names = host.series.map((s: { series: string }) => s.series);
      expect(names).toEqual(expect.arrayContaining(['host.lab.up', 'host.lab.load.1m', 'host.lab.memory.used_percent']));
    } finally {
      await server.close();
    }
  });

  it('refuses to start when an instance has options its slurper rejects, naming the key', async () => {
    const config = loadConfig(await configFile('bad.yaml', 'slurpers:\n  instances:\n    - { slurper: http, name: web.http, every: 30s, options: { url: 42 } }\n'), { env: {}, cwd: dir });
    const failure = await startServer(config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toContain('slurpers.instances[0].options.url');
  });

  it('the documented example instances are valid for the built-in slurpers', () => {
    const example = loadConfig(join(import.meta.dirname, '..', '..', '..', 'docs', 'examples', 'ringmon.yaml'), { env: {} });
    const registry = slurperRegistry(BUILTIN_SLURPERS.map((definition) => ({ definition, source: 'built-in' })));
    expect(prepareInstances(example.slurpers.instances, registry).map((i) => i.name)).toEqual(['host.web01', 'web01.http', 'web01.ssh']);
  });
});
