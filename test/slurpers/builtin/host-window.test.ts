/**
 * The host slurper's CPU window fits the run's time limit: an instance every
 * 500 ms (whose runs may take 500 ms) used to wait its 1 s window and time out
 * at every run. Once as runOnce runs it, and in a real server's scheduler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import host from '../../../slurpers/builtin/host.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describe('host with a time limit below its 1 s CPU window', () => {
  it('measures CPU over half the limit instead of timing out', async () => {
    const outcome = await runOnce(host, { name: 'box', timeoutSeconds: 0.5, options: {} });
    expect(outcome.error).toBeUndefined();
    const byName = new Map(outcome.samples.map((s) => [s.series, s.value]));
    expect(byName.get('box.up')).toBe(1);
    expect(typeof byName.get('box.cpu.busy_percent')).toBe('number');
    expect(byName.get('box.duration_seconds')).toBeLessThan(0.5);
    // A longer limit keeps the configured window.
    const full = await runOnce(host, { name: 'box', timeoutSeconds: 5, options: { cpuSampleSeconds: 0.3 } });
    expect(full.error).toBeUndefined();
    expect(full.samples.find((s) => s.series === 'box.duration_seconds')?.value).toBeGreaterThanOrEqual(0.3);
  });

  describe('in a real server, every 500 ms', () => {
    let running: TestServer;
    beforeAll(async () => {
      running = await startTestServer(`listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances:\n    - { slurper: host, name: hw.half, every: 500ms }\n`);
    });
    afterAll(() => running.stop());

    it('runs without a timeout: its up series is 1 and its CPU series has values', { timeout: 20_000 }, async () => {
      const started = Math.floor(Date.now() / 1000);
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect((await apiCall(running.server.url, 'POST', '/api/v1/admin/flush', running.tokens.admin)).status).toBe(200);
      const fetched = async (series: string): Promise<(number | null)[]> => {
        const answer = await apiCall(running.server.url, 'GET', `/api/v1/fetch?series=${series}&start=${started}&end=${started + 3}`, running.tokens.viewer);
        expect(answer.status, JSON.stringify(answer.json)).toBe(200);
        expect(answer.json.series[0].step).toBe(1);
        return answer.json.series[0].rows.map((r: [number, number | null]) => r[1]);
      };
      const up = (await fetched('hw.half.up')).filter((v) => v !== null);
      expect(up.length).toBeGreaterThanOrEqual(2);
      expect(up.every((v) => v === 1)).toBe(true);
      expect((await fetched('hw.half.cpu.busy_percent')).filter((v) => v !== null).length).toBeGreaterThanOrEqual(2);
    });
  });
});
