/**
 * The slurpers an agent can run (the built-in list and the files of its
 * slurperDirs) and its instances made ready for the scheduler.
 */
import type { SlurperDefinition } from '../contract.js';
import { BUILTIN_SLURPERS } from '../builtin/index.js';
import type { InstanceConfig } from '../host/instance-config.js';
import { loadSlurperFolder, slurperRegistry, type LoadedSlurper } from '../host/load-slurpers.js';
import { prepareInstances, type ScheduledInstance } from '../host/prepare-instances.js';

/** Every slurper by name: built-ins first, then each folder's files. Throws SlurperLoadError naming the files at fault. */
export async function loadAgentSlurpers(dirs: readonly string[]): Promise<ReadonlyMap<string, SlurperDefinition>> {
  const loaded: LoadedSlurper[] = BUILTIN_SLURPERS.map((definition) => ({ definition, source: 'built-in' }));
  for (const dir of dirs) loaded.push(...(await loadSlurperFolder(dir)));
  return slurperRegistry(loaded);
}

/**
 * The instances of agent.yaml, ready to run; throws SchemaError with every
 * problem under its agent.yaml key (`instances[2].options.url: ...`).
 */
export function prepareAgentInstances(configs: readonly InstanceConfig[], registry: ReadonlyMap<string, SlurperDefinition>): ScheduledInstance[] {
  return prepareInstances(configs, registry, (_config, index) => `instances[${index}]`);
}
