/**
 * The ping slurper through the real system ping (iputils-ping, installed by
 * .ci/prerequisites.sh). If ping exists but may not send ICMP here (no
 * CAP_NET_RAW, no ping_group_range), the live tests fail with ping's own
 * message rather than pretending: that is a broken prerequisite, not a pass.
 */
import { describe, expect, it } from 'vitest';
import ping, { parsePingSummary } from '../../../slurpers/builtin/ping.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const run = (options: object, timeoutSeconds = 10) => runOnce(ping, { name: 'gw', timeoutSeconds, options });
const byName = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

describe('ping against 127.0.0.1', () => {
  it('measures round trip and loss', async () => {
    const outcome = await run({ host: '127.0.0.1', count: 3 });
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, state: { status: 'OK', message: expect.stringMatching(/^127\.0\.0\.1: 0% loss, rtt [\d.]+ ms \(3\/3 replies\)$/) } });
    const s = byName(outcome.samples);
    expect(s['gw.loss_percent']).toBe(0);
    expect(s['gw.rtt_seconds']).toBeGreaterThan(0);
    expect(s['gw.rtt_seconds']).toBeLessThan(0.5);
    expect(s['gw.rtt_min_seconds']).toBeLessThanOrEqual(s['gw.rtt_seconds']!);
    expect(s['gw.rtt_max_seconds']).toBeGreaterThanOrEqual(s['gw.rtt_seconds']!);
  });

  it('a host that cannot be resolved fails the run with ping\'s message', async () => {
    const outcome = await run({ host: 'no-such-host.invalid', count: 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^ping no-such-host\.invalid: .*(not known|failure|resolve)/i);
  });

  it('a missing ping command fails the run, naming it', async () => {
    const outcome = await run({ host: '127.0.0.1', command: '/nonexistent/ping' });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining('/nonexistent/ping') });
    expect(outcome.error).toContain('cannot run: not found');
  });

  it('refuses a host that would read as an option', async () => {
    expect((await run({ host: '-f' })).error).toBe('slurpers.gw.options.host: must be a host name or address, got "-f"');
  });
});

describe('parsePingSummary', () => {
  it('reads total loss (no rtt line)', () => {
    const text = '--- 192.0.2.1 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2040ms\n';
    expect(parsePingSummary(text)).toEqual({ transmitted: 3, received: 0 });
  });

  it('reads partial loss with errors, and busybox wording', () => {
    const iputils = '5 packets transmitted, 3 received, +2 errors, 40% packet loss, time 4005ms\nrtt min/avg/max/mdev = 0.041/0.055/0.071/0.012 ms\n';
    expect(parsePingSummary(iputils)).toEqual({ transmitted: 5, received: 3, rtt: { min: 0.041, avg: 0.055, max: 0.071 } });
    const busybox = '2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.1/0.2/0.3 ms\n';
    expect(parsePingSummary(busybox)).toEqual({ transmitted: 2, received: 2, rtt: { min: 0.1, avg: 0.2, max: 0.3 } });
  });
});
