/**
 * `ping`: ICMP echo through the system's `ping` (iputils), which has the
 * privilege to send ICMP that Node lacks. Samples: `loss_percent`, and
 * `rtt_seconds`, `rtt_min_seconds`, `rtt_max_seconds` (unknown when no
 * reply came). Total loss is a measurement (CRITICAL); a ping that cannot
 * run or cannot resolve the host fails the run.
 */
import { defineSlurper, Type, type CheckStatus } from '../contract.js';

/** What ping's summary says; rtt in ms, absent when nothing came back. */
export interface PingSummary {
  readonly transmitted: number;
  readonly received: number;
  readonly rtt?: { readonly min: number; readonly avg: number; readonly max: number };
}

/** Reads iputils' and busybox's summary lines; undefined when there is none. */
export function parsePingSummary(text: string): PingSummary | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  if (!counts) return undefined;
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(text.slice(counts.index));
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    ...(rtt ? { rtt: { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } } : {}),
  };
}

export default defineSlurper({
  name: 'ping',
  description: 'ICMP round-trip time and packet loss to a host, through the system ping.',
  options: Type.Object(
    {
      host: Type.String({ minLength: 1, pattern: '^[^-]', 'x-expected': 'a host name or address' }),
      count: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
      intervalSeconds: Type.Number({ minimum: 0.2, default: 0.2, description: 'Between echoes; ping refuses less than 0.2 s to ordinary users.' }),
      waitSeconds: Type.Number({ minimum: 0.1, default: 1, description: 'How long to wait for the last reply.' }),
      warningLossPercent: Type.Number({ minimum: 0, maximum: 100, default: 0 }),
      command: Type.String({ default: 'ping' }),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, options) {
    // -n: no reverse lookups; -q: the summary only; -w: a hard deadline, so a silent host cannot stall the run.
    const deadline = Math.ceil(options.count * options.intervalSeconds + options.waitSeconds);
    const args = ['-n', '-q', '-c', String(options.count), '-i', String(options.intervalSeconds), '-W', String(options.waitSeconds), '-w', String(deadline), options.host];
    const result = await ctx.runCommand(options.command, args, { env: { LC_ALL: 'C' } });
    const summary = parsePingSummary(result.stdout);
    if (summary === undefined || summary.transmitted === 0) {
      throw new Error(`${options.command} ${options.host}: ${(result.stderr || result.stdout).trim() || `exit status ${result.exitCode}`}`);
    }
    const loss = Math.round((1 - summary.received / summary.transmitted) * 10000) / 100;
    const rtt = summary.rtt;
    const status: CheckStatus = summary.received === 0 ? 'CRITICAL' : loss > options.warningLossPercent ? 'WARNING' : 'OK';
    const message = rtt
      ? `${options.host}: ${loss}% loss, rtt ${rtt.avg.toFixed(3)} ms (${summary.received}/${summary.transmitted} replies)`
      : `${options.host}: no reply to ${summary.transmitted} echoes`;
    return {
      samples: [
        { series: 'loss_percent', value: loss, unit: '%', thresholds: { warning: String(options.warningLossPercent), critical: '99.99' } },
        { series: 'rtt_seconds', value: rtt ? rtt.avg / 1000 : null, unit: 's' },
        { series: 'rtt_min_seconds', value: rtt ? rtt.min / 1000 : null, unit: 's' },
        { series: 'rtt_max_seconds', value: rtt ? rtt.max / 1000 : null, unit: 's' },
      ],
      state: { status, message },
    };
  },
});
