/**
 * A remote agent: the scheduler runs the instances, every run's samples go
 * to the spool (durable before the run counts as sunk), the uploader sends
 * the spool to the server in order, the heartbeat reports the agent.
 *
 *     const agent = await startAgent({ config, instances, server: { url, tokenFile }, log, version });
 *     ...
 *     await agent.stop();   // stops collecting, sends what it can for upload.stopDrainSeconds, closes the spool
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SlurperLogger } from '../contract.js';
import type { ScheduledInstance } from '../host/prepare-instances.js';
import { startScheduler, type Scheduler } from '../host/scheduler.js';
import { SLURPER_STATE_FOLDER } from '../host/state-dir.js';
import type { AgentConfig } from './agent-config.js';
import { startHeartbeat, type HeartbeatBody } from './heartbeat.js';
import { createServerClient } from './server-client.js';
import { Spool, type SpoolStats } from './spool.js';
import { spooledSample } from './spooled-sample.js';
import { startUploader, type UploadStats } from './uploader.js';

export interface AgentOptions {
  readonly config: AgentConfig;
  /** The config's instances, prepared (prepareAgentInstances). */
  readonly instances: readonly ScheduledInstance[];
  readonly server: { readonly url: string; readonly tokenFile: string };
  readonly log: SlurperLogger;
  /** The agent's version, reported in heartbeats. */
  readonly version: string;
  /** Upper bound of the scheduler's per-instance jitter, in seconds (default: the scheduler's). */
  readonly maxJitterSeconds?: number;
}

/** A running agent. */
export interface Agent {
  /** The spool's and the uploader's counters, as of now. */
  stats(): { readonly spool: SpoolStats; readonly upload: UploadStats };
  /** The heartbeat's body as of now. */
  heartbeat(): HeartbeatBody;
  /** Stops collecting, drains the spool for up to upload.stopDrainSeconds, closes everything. Idempotent. */
  stop(): Promise<void>;
}

/** Opens the spool and starts collecting, uploading and heartbeats. Rejects when the spool cannot be opened. */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { config, log } = options;
  const spool = await Spool.open({ dir: config.spool.dir, maxBytes: config.spool.maxBytes, log });
  const client = createServerClient({ url: options.server.url, tokenFile: options.server.tokenFile, timeoutSeconds: config.upload.timeoutSeconds });
  const uploader = startUploader({
    spool,
    client,
    log,
    maxSamplesPerRequest: config.upload.maxSamplesPerRequest,
    maxBackoffSeconds: config.upload.maxBackoffSeconds,
  });
  // Logged once per series and problem: a slurper offers the same thresholds and labels at every run.
  const refused = new Set<string>();
  const refuse = (series: string, why: string): void => {
    if (refused.has(`${series}\n${why}`)) return;
    refused.add(`${series}\n${why}`);
    log.warn({ series }, `${series}: ${why.startsWith('labels') ? why : `threshold not sent to the server: ${why}`}`);
  };
  const scheduler: Scheduler = startScheduler({
    instances: options.instances,
    log,
    concurrency: config.concurrency,
    // The spool's folder is the agent's one lasting place; the spool ignores this subfolder.
    stateRoot: join(config.spool.dir, SLURPER_STATE_FOLDER),
    ...(options.maxJitterSeconds === undefined ? {} : { maxJitterSeconds: options.maxJitterSeconds }),
    // A declared kind and offered thresholds travel with the sample: the server creates the archive with the kind, and its alarms use the thresholds.
    sink: async (samples) => void (await spool.append(samples.map((s) => spooledSample(s, refuse)))),
  });
  const host = hostname();
  const heartbeatBody = (): HeartbeatBody => ({
    name: config.name,
    version: options.version,
    hostname: host,
    instances: scheduler.health().map((h) => ({ name: h.instance, slurper: h.slurper, up: h.ok ?? null, lastRun: h.lastRunAt ?? null })),
    spooledSamples: spool.stats().pendingSamples,
  });
  const heartbeat = startHeartbeat({ client, log, intervalSeconds: config.heartbeatSeconds, body: heartbeatBody });
  log.info({ agent: config.name, server: options.server.url, instances: options.instances.length, spool: config.spool.dir }, `agent ${config.name} started`);

  let stopping: Promise<void> | undefined;
  return {
    stats: () => ({ spool: spool.stats(), upload: uploader.stats() }),
    heartbeat: heartbeatBody,
    stop() {
      stopping ??= (async () => {
        await scheduler.stop();
        await heartbeat.stop();
        await uploader.stop(config.upload.stopDrainSeconds);
        await spool.close();
        await client.close();
        const stats = { spool: spool.stats(), upload: uploader.stats() };
        log.info(
          { ...stats.upload, pendingSamples: stats.spool.pendingSamples, droppedSamples: stats.spool.droppedSamples },
          `agent ${config.name} stopped; ${stats.spool.pendingSamples} samples stay spooled for the next start`,
        );
      })();
      return stopping;
    },
  };
}
