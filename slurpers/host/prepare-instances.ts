/**
 * Turns the configured instances into what the scheduler runs, checking
 * everything that can be checked before the first run: the slurper exists,
 * the instance name is unique, the options fit the slurper's schema. Every
 * problem is reported at once, each under its instance's key.
 */
import type { SlurperDefinition } from '../contract.js';
import { timeoutOf, type InstanceConfig } from './instance-config.js';
import { prepareOptions, SchemaError } from './options.js';

/** An instance ready to run: its slurper found, options validated with defaults, timeout resolved. */
export interface ScheduledInstance {
  readonly name: string;
  readonly slurper: SlurperDefinition;
  readonly schedule: { readonly every: number } | { readonly cron: string };
  readonly timeoutSeconds: number;
  readonly options: unknown;
}

/**
 * The instances of `configs`, or a SchemaError listing every problem under
 * the key `keyOf` gives each instance (default `slurpers.<name>`, e.g.
 * `slurpers.web01.options.url: ...`).
 */
export function prepareInstances(
  configs: readonly InstanceConfig[],
  registry: ReadonlyMap<string, SlurperDefinition>,
  keyOf: (config: InstanceConfig, index: number) => string = (config) => `slurpers.${config.name}`,
): ScheduledInstance[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const instances: ScheduledInstance[] = [];
  for (const [index, config] of configs.entries()) {
    const where = keyOf(config, index);
    if (names.has(config.name)) problems.push(`${where}.name: '${config.name}' is used by another instance; instance names must be unique`);
    names.add(config.name);
    const slurper = registry.get(config.slurper);
    if (slurper === undefined) {
      problems.push(`${where}.slurper: no slurper named '${config.slurper}' (known: ${[...registry.keys()].sort().join(', ') || 'none'})`);
      continue;
    }
    try {
      const options = prepareOptions(slurper.options, config.options, `${where}.options`);
      const schedule = config.every !== undefined ? { every: config.every } : { cron: config.cron ?? '' };
      instances.push({ name: config.name, slurper, schedule, timeoutSeconds: timeoutOf(config), options });
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new SchemaError(problems);
  return instances;
}
