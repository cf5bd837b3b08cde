/**
 * Runs a Nagios-compatible check plugin unchanged: its exit status is the
 * state (0 OK, 1 WARNING, 2 CRITICAL, 3 or anything else UNKNOWN), its
 * first line the message, and each perfdata item a series in base units,
 * with the plugin's warn/crit offered as alarm thresholds and its UOM as
 * the series' unit (`ms` → `s`, `KB` → `B`, `c` → a COUNTER of `count`).
 *
 *     slurper: nagios
 *     options: { command: check_disk, args: [-w, 20%, -c, 10%, -p, /] }
 *     → state "DISK OK - free space: / ...", series `_` (bytes used on /)
 */
import { join } from 'node:path';
import { defineSlurper, Type, type CheckStatus, type CollectedSample } from '../contract.js';
import { parsePluginOutput, type PerfDatum } from './formats/nagios-output.js';
import { admitSamples, seriesPath } from './formats/series-name.js';

const STATUS_BY_EXIT: readonly CheckStatus[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

function sampleOf(datum: PerfDatum): CollectedSample {
  const thresholds = { ...(datum.warning ? { warning: datum.warning } : {}), ...(datum.critical ? { critical: datum.critical } : {}) };
  return {
    series: seriesPath(datum.label),
    // The archive's COUNTER takes integers; a fractional counter is rounded down (still monotonic).
    value: datum.kind === 'COUNTER' && datum.value !== null ? Math.floor(datum.value) : datum.value,
    ...(datum.kind === 'COUNTER' ? { kind: 'COUNTER' as const } : {}),
    ...(datum.unit === undefined ? {} : { unit: datum.unit }),
    ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}),
  };
}

export default defineSlurper({
  name: 'nagios',
  description: 'Runs a Nagios-compatible check plugin: exit status to state, perfdata to series with warn/crit as thresholds.',
  options: Type.Object({
    command: Type.String({ minLength: 1, description: 'The plugin: a path, or a file name looked up in pluginDir.' }),
    args: Type.Array(Type.String(), { default: [], description: 'Arguments, passed as they are (no shell).' }),
    pluginDir: Type.String({ default: '/usr/lib/nagios/plugins' }),
    env: Type.Record(Type.String(), Type.String(), { default: {}, description: 'Extra environment variables.' }),
  }, { additionalProperties: false }),

  async collect(ctx, options) {
    const file = options.command.includes('/') ? options.command : join(options.pluginDir, options.command);
    // LC_ALL=C: plugins print decimal points, not a locale's commas, which perfdata cannot carry.
    const result = await ctx.runCommand(file, options.args, { env: { LC_ALL: 'C', ...options.env } });
    const output = parsePluginOutput(result.stdout);
    for (const problem of output.problems) ctx.log.warn(`${options.command}: perfdata ${problem}`);

    const exit = result.exitCode;
    const status = exit !== null && exit >= 0 && exit < STATUS_BY_EXIT.length ? STATUS_BY_EXIT[exit] : 'UNKNOWN';
    const stderr = result.stderr.trim().split('\n')[0];
    const message = output.status !== '' ? output.status
      : result.signal !== null ? `${options.command} was killed by ${result.signal}${stderr ? `: ${stderr}` : ''}`
      : `${options.command} exited with status ${exit} and printed nothing${stderr ? `; stderr: ${stderr}` : ''}`;
    const exitNote = exit !== null && exit > 3 ? ` (exit status ${exit})` : '';

    const samples = admitSamples(output.perfdata.map(sampleOf), ctx.instance, (why) => ctx.log.warn(`${options.command}: ${why}`));
    return { samples, state: { status, message: message + exitNote } };
  },
});
