/**
 * The slurpers' public surface: the plugin contract (for slurper files) and
 * the host (for the server and agents, which load slurpers, read instance
 * configs and start the scheduler). Nothing here imports the server.
 */
export * from './contract.js';
export { checkCollectResult, GarbageResultError, type CheckedResult, type Sample } from './host/collect-result.js';
export { type InstanceHealth } from './host/instance-health.js';
export {
  DEFAULT_TIMEOUT_SECONDS,
  instanceConfigProblems,
  instanceConfigSchema,
  readInstanceConfig,
  timeoutOf,
  type InstanceConfig,
  type InstanceProblem,
} from './host/instance-config.js';
export { checkSlurper, loadSlurperFile, loadSlurperFolder, slurperRegistry, SlurperLoadError, type LoadedSlurper } from './host/load-slurpers.js';
export { prepareOptions, SchemaError } from './host/options.js';
export { prepareInstances, type ScheduledInstance } from './host/prepare-instances.js';
export { CommandError } from './host/run-command.js';
export { createRunContext, RunTimeoutError, type RunContextHandle, type RunContextOptions } from './host/run-context.js';
export { runOnce, type RunDeps, type RunInstance, type RunOutcome } from './host/run-once.js';
export { startScheduler, type SampleSink, type Scheduler, type SchedulerOptions } from './host/scheduler.js';
export { scheduleInterval } from './host/schedule-interval.js';
export { SLURPER_STATE_FOLDER } from './host/state-dir.js';
