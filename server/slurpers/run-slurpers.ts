/**
 * The slurpers the server runs itself: the built-in ones plus the files of
 * `slurpers.dirs`, scheduled by the slurper host, their samples ingested
 * like any client's (journal first, then archives). A series whose slurper
 * declares it a COUNTER (or DERIVE, ABSOLUTE) gets that DS type unless a
 * config rule decides its archive. Each instance's ctx.stateDir is
 * `<dataDir>/slurper-state/<instance>`. A reload changes the instances in
 * place (ServerSlurpers.apply); a slurper file changed on disk is read
 * again only by a restart (Node keeps a module once imported).
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
  scheduleInterval,
  startScheduler,
  type InstanceHealth,
  type LoadedSlurper,
  type ScheduledInstance,
  type SlurperLogger,
} from '../../slurpers/index.js';
import { ConfigError } from '../config-schema/index.js';
import { ingestOffered, type LabelOffer, type SampleSink, type ThresholdOffer, type UnitOffer } from '../store/index.js';
import type { SlurperHostConfig } from './config-section.js';
import { instanceChanges, type InstanceChanges } from './instance-changes.js';
import type { InstanceRuns } from './instance-runs.js';
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

/** The server's running slurper instances. */
export interface ServerSlurpers {
  /** Stops every instance, cutting runs in flight (Scheduler.stop). */
  stop(): Promise<void>;
  /** Each instance's run-time record, as of now. */
  health(): InstanceHealth[];
  /**
   * Brings the running instances to `next`'s (a reload). Every slurper and
   * instance is checked first (prepareSlurpers): a ConfigError naming the
   * key changes nothing. Then the removed and changed instances stop (a
   * run in flight is cut and not stored, as at a shutdown) and the added
   * and changed ones start; the others are not touched, so they run on
   * with no turn missed or doubled. Calls must not overlap (the reloader
   * runs one reload at a time).
   */
  apply(next: SlurperHostConfig): Promise<InstanceChanges>;
}

/**
 * Loads and checks every slurper and instance (prepareSlurpers), then
 * starts them. `runs`, when given, is told of each instance's start, stop
 * and finished runs (the nodes of server-run instances). Labels the samples
 * carry go to `labels` (the node metadata), which logs those it refuses;
 * the units they declare to `units`.
 */
export async function startSlurpers(
  config: SlurperHostConfig,
  store: SampleSink,
  log: SlurperLogger,
  offer?: ThresholdOffer,
  runs?: InstanceRuns,
  labels?: LabelOffer,
  units?: UnitOffer,
): Promise<ServerSlurpers> {
  const { instances, concurrency } = config.slurpers;
  const scheduled = await prepareSlurpers(config);
  logSlurperInstances(instances, log);
  const started = (instance: ScheduledInstance): ScheduledInstance => {
    runs?.started(instance.name, instance.slurper.name, scheduleInterval(instance.schedule));
    return instance;
  };
  const scheduler = startScheduler({
    instances: scheduled.map(started),
    concurrency,
    log,
    stateRoot: join(config.dataDir, SLURPER_STATE_FOLDER),
    sink: async (samples, instance, outcome) => {
      const up = samples.find((s) => s.series === `${instance}.up`);
      if (up?.time !== undefined) runs?.ran(instance, up.time, outcome.ok);
      await ingestOffered(store, samples, offer, undefined, labels, units);
    },
  });
  let running = instances;
  return {
    stop: () => scheduler.stop(),
    health: () => scheduler.health(),
    async apply(next) {
      const prepared = new Map((await prepareSlurpers(next)).map((i) => [i.name, i]));
      const changes = instanceChanges(running, next.slurpers.instances);
      await Promise.all([...changes.stopped, ...changes.restarted].map((name) => scheduler.remove(name)));
      for (const name of changes.stopped) runs?.stopped(name);
      for (const name of [...changes.started, ...changes.restarted]) scheduler.add(started(prepared.get(name)!));
      running = next.slurpers.instances;
      return changes;
    },
  };
}

/** `slurpers.instances[0].options.url: must be ...` → key and message. */
function splitProblem(line: string): { key: string; message: string } {
  const at = line.indexOf(': ');
  return at === -1 ? { key: 'slurpers', message: line } : { key: line.slice(0, at), message: line.slice(at + 2) };
}
