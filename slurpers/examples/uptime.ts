import { readFile } from 'node:fs/promises';
import { defineSlurper, Type } from 'ringmon/slurper';

export default defineSlurper({
  name: 'uptime',
  description: 'Seconds since the host booted; WARNING for a while after a reboot.',
  options: Type.Object({
    path: Type.String({ default: '/proc/uptime' }),
    warnAfterRebootSeconds: Type.Number({ minimum: 0, default: 3600 }),
  }),
  async collect(ctx, options) {
    const text = await readFile(options.path, { encoding: 'utf8', signal: ctx.signal });
    const seconds = Number(text.split(' ')[0]);
    if (!Number.isFinite(seconds)) throw new Error(`${options.path}: expected "<seconds> <idle seconds>", got ${JSON.stringify(text.slice(0, 40))}`);
    const recent = seconds < options.warnAfterRebootSeconds;
    return {
      samples: [{ series: 'seconds', value: seconds, thresholds: { warning: `${options.warnAfterRebootSeconds}:` } }],
      state: { status: recent ? 'WARNING' : 'OK', message: `up ${(seconds / 86400).toFixed(2)} days${recent ? ', rebooted recently' : ''}` },
    };
  },
});
