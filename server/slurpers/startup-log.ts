/**
 * What the server says at start about the slurpers it runs: one line naming
 * every instance with its slurper and schedule, and a warning when a
 * configured `slurpers.instances` left out the demo set (the host and disk
 * collectors that run when the config says nothing), since a list of
 * instances replaces that set instead of adding to it. A user who adds one
 * collector should not lose the others without a word.
 */
import { formatDuration } from '../../lib/duration.js';
import type { InstanceConfig, SlurperLogger } from '../../slurpers/index.js';
import { demoInstances } from './config-section.js';

/** `host.web01 (host every 10s)`, `web01.ssh (nagios cron "*\/5 * * * *")`. */
export function describeInstance(instance: InstanceConfig): string {
  const schedule = instance.every !== undefined ? `every ${formatDuration(instance.every)}` : `cron "${instance.cron ?? ''}"`;
  return `${instance.name} (${instance.slurper} ${schedule})`;
}

/** The demo instances whose slurper none of `instances` runs. */
export function missingDemoInstances(instances: readonly InstanceConfig[]): InstanceConfig[] {
  const running = new Set(instances.map((instance) => instance.slurper));
  return demoInstances().filter((demo) => !running.has(demo.slurper));
}

/** Logs what runs (info) and, for a list without the demo set, how to keep it (warn). */
export function logSlurperInstances(instances: readonly InstanceConfig[], log: SlurperLogger): void {
  const described = instances.map(describeInstance);
  if (instances.length === 0) {
    log.info({ instances: [] }, 'running no slurper instances (slurpers.instances is empty)');
    return;
  }
  log.info({ instances: described }, `running ${instances.length} slurper instance${instances.length === 1 ? '' : 's'}: ${described.join(', ')}`);
  const missing = missingDemoInstances(instances);
  if (missing.length === 0) return;
  const lines = missing.map((demo) => `{ slurper: ${demo.slurper}, name: ${demo.name}, every: ${formatDuration(demo.every ?? 10)} }`);
  log.warn(
    { missing: missing.map(describeInstance) },
    `slurpers.instances replaces the demo set, so ${missing.map(describeInstance).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not running; ` +
      `to keep ${missing.length === 1 ? 'it' : 'them'}, add to slurpers.instances: ${lines.join(', ')} (ringmon init writes a config that has them)`,
  );
}
