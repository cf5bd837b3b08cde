import { describe, expect, it } from 'vitest';
import tcp from '../../../slurpers/builtin/tcp.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { freePort } from '../../helpers/free-port.js';
import { closingListener } from './closing-listener.js';

const run = (options: object, timeoutSeconds = 10) => runOnce(tcp, { name: 'db', timeoutSeconds, options });
const byName = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

describe('tcp', () => {
  let accepted = 0;
  const listener = closingListener(() => {
    accepted += 1;
  });

  it('connects to a listener and times it', async () => {
    const { port } = listener;
    const outcome = await run({ host: '127.0.0.1', port });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'OK', message: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}: connected in [\\d.]+ ms$`)) } });
    const s = byName(outcome.samples);
    expect(s['db.success']).toBe(1);
    expect(s['db.connect_seconds']).toBeGreaterThan(0);
    expect(s['db.connect_seconds']).toBeLessThan(2);
    expect(accepted).toBeGreaterThanOrEqual(1);
  });

  it('a closed port: success 0, no time, CRITICAL with the refusal; the run itself worked', async () => {
    const closed = await freePort();
    const outcome = await run({ host: '127.0.0.1', port: closed });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: `127.0.0.1:${closed}: connection refused (ECONNREFUSED)` } });
    expect(byName(outcome.samples)).toMatchObject({ 'db.success': 0, 'db.connect_seconds': null, 'db.up': 1 });
  });

  it('a host that does not resolve is CRITICAL and says so', async () => {
    const outcome = await run({ host: 'no-such-host.invalid', port: 80 });
    expect(outcome.state?.status).toBe('CRITICAL');
    expect(outcome.state?.message).toMatch(/^no-such-host\.invalid:80: (host not found|name lookup failed)/);
  });

  it('requires host and port, naming them', async () => {
    // A run's error is one line: the problems are joined with '; '.
    expect((await run({ port: 70000 })).error).toBe(
      'slurpers.db.options.host: is required; must be a non-empty string; slurpers.db.options.port: must be an integer >= 1 and <= 65535, got 70000',
    );
  });
});
