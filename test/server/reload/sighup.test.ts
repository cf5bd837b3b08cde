/**
 * SIGHUP to a real `ringmon serve`: it no longer kills the server. A bad
 * file is refused with one log line naming the key, and the server keeps
 * answering on its old config; a valid changed file is reported with the
 * sections that need a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-sighup-'));
const launcher = ringmonLauncher(dir);
afterAll(() => {
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** The config: a port, a data folder, no slurpers, one alarm rule warning above `warning`. */
function config(port: number, warning: string): string {
  return [
    'log: { level: info }',
    `listen: { host: 127.0.0.1, port: ${port} }`,
    `dataDir: ${join(dir, 'data')}`,
    'slurpers: { instances: [] }',
    'alarms:',
    '  rules:',
    '    - { name: load-high, match: "h.*.load", warning: "> ' + warning + '" }',
  ].join('\n');
}

describe('SIGHUP', () => {
  it('keeps the server running: a bad file is refused naming the key, a valid change is reported', async () => {
    const port = await freePort();
    const file = join(dir, 'ringmon.yaml');
    writeFileSync(file, config(port, '5'));
    const server = launcher.run(['serve', '--config', file]);
    let code: number | null | undefined;
    void server.exited.then((c) => (code = c));
    await until(() => server.output().includes('ringmon listening on'), 'the server listens', 60_000);

    writeFileSync(file, config(port, 'lots'));
    server.kill('SIGHUP');
    await until(() => server.output().includes('reload refused') || code !== undefined, 'the reload is refused', 30_000);
    expect(code).toBeUndefined();
    expect(server.output()).toMatch(/reload refused, the running config is kept: alarms\.rules\[0\]\.warning/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    writeFileSync(file, config(port, '7'));
    server.kill('SIGHUP');
    await until(() => server.output().includes('a restart is needed to apply'), 'the valid reload is reported', 30_000);
    expect(server.output()).toMatch(/a restart is needed to apply alarms\b/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    server.stop();
    expect(await server.exited).toBe(0);
  }, 120_000);
});
