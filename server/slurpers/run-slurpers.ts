/**
 * The slurpers the server runs itself: the built-in ones plus the files of
 * `slurpers.dirs`, scheduled by the slurper host, their samples ingested
 * like any client's (journal first, then archives). A series whose slurper
 * declares it a COUNTER (or DERIVE, ABSOLUTE) gets that DS type unless a
 * config rule decides its archive. Each instance's ctx.stateDir is
 * `<dataDir>/slurper-state/<instance>`.
 */
import { join } from 'node:path';
import { BUILTIN_SLURPERS } from '../../slurpers/builtin/index.js';
import {
  loadSlurperFolder,
  prepareInstances,
  SchemaError,
  slurperRegistry,
  SLURPER_STATE_FOLDER,
  SlurperLoadError,
  startScheduler,
  type LoadedSlurper,
  type Scheduler,
  type SlurperLogger,
} from '../../slurpers/index.js';
import { ConfigError } from '../config-schema/index.js';
import { ingestOffered, type SampleSink, type ThresholdOffer } from '../store/index.js';
import type { SlurperHostConfig } from './config-section.js';
import { logSlurperInstances } from './startup-log.js';

/**
 * Loads and checks every slurper and instance without starting any: a bad
 * file or option throws a ConfigError naming the key. Used at start and by
 * `ringmon config check` and reloads.
 */
export async function prepareSlurpers(config: SlurperHostConfig): Promise<ReturnType<typeof prepareInstances>> {
  const { dirs, instances } = config.slurpers;
  const loaded: LoadedSlurper[] = BUILTIN_SLURPERS.map((definition) => ({ definition, source: 'built-in' }));
  for (const [i, dir] of dirs.entries()) {
    try {
      loaded.push(...(await loadSlurperFolder(dir)));
    } catch (e) {
      if (e instanceof SlurperLoadError) throw new ConfigError(undefined, [{ key: `slurpers.dirs[${i}]`, message: e.message }]);
      throw e;
    }
  }
  let scheduled;
  try {
    scheduled = prepareInstances(instances, slurperRegistry(loaded), (_instance, i) => `slurpers.instances[${i}]`);
  } catch (e) {
    if (e instanceof SchemaError) throw new ConfigError(undefined, e.problems.map((line) => splitProblem(line)));
    // Two slurpers of one name (a file in dirs reusing a built-in's name).
    if (e instanceof SlurperLoadError) throw new ConfigError(undefined, [{ key: 'slurpers.dirs', message: e.message }]);
    throw e;
  }
  return scheduled;
}

/** Loads and checks every slurper and instance (prepareSlurpers), then starts them. */
export async function startSlurpers(config: SlurperHostConfig, store: SampleSink, log: SlurperLogger, offer?: ThresholdOffer): Promise<Scheduler> {
  const { instances, concurrency } = config.slurpers;
  const scheduled = await prepareSlurpers(config);
  logSlurperInstances(instances, log);
  return startScheduler({
    instances: scheduled,
    concurrency,
    log,
    stateRoot: join(config.dataDir, SLURPER_STATE_FOLDER),
    sink: async (samples) => {
      await ingestOffered(store, samples, offer);
    },
  });
}

/** `slurpers.instances[0].options.url: must be ...` → key and message. */
function splitProblem(line: string): { key: string; message: string } {
  const at = line.indexOf(': ');
  return at === -1 ? { key: 'slurpers', message: line } : { key: line.slice(0, at), message: line.slice(at + 2) };
}
