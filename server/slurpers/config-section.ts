/**
 * `slurpers`: the collectors the server runs itself. Without the key the
 * server runs a demo set watching its own host (CPU, memory, load, network,
 * disks), so a new installation has live graphs at once; `instances: []`
 * turns them off. Instance options are checked against each slurper's own
 * schema at start (server/slurpers), once the slurper files are loaded.
 */
import { hostname } from 'node:os';
import { Type } from 'typebox';
import { instanceConfigProblems, instanceConfigSchema, type InstanceConfig } from '../../slurpers/index.js';
import { defineSection, filePath, strictObject, type SectionValue } from '../config-schema/index.js';

/** This host's name as one series segment. */
function hostSegment(): string {
  return hostname().split('.')[0].replace(/[^A-Za-z0-9_-]/g, '_') || 'localhost';
}

/** What runs when the config says nothing about slurpers. */
export function demoInstances(): InstanceConfig[] {
  const host = hostSegment();
  return [
    { slurper: 'host', name: `host.${host}`, every: 10, options: {} },
    { slurper: 'disk', name: `disk.${host}`, every: 10, options: {} },
  ];
}

export const DEFAULT_SLURPER_CONCURRENCY = 16;

export const slurpersSection = defineSection({
  schema: strictObject(
    {
      /** Folders of slurper files (.ts, .js, .mjs) added to the built-in ones. */
      dirs: Type.Array(filePath(), { default: [] }),
      /** Most runs at once. */
      concurrency: Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_SLURPER_CONCURRENCY }),
      instances: Type.Array(instanceConfigSchema, { default: demoInstances() }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    value.instances.forEach((instance, i) => {
      for (const problem of instanceConfigProblems(instance)) report(['instances', i, problem.key], problem.message);
    });
  },
});

/** The `slurpers` section as loaded: durations in seconds, folders absolute. */
export type SlurpersSettings = SectionValue<typeof slurpersSection.schema>;

/** What the server's slurper host reads of the configuration (a loaded ServerConfig is one). */
export interface SlurperHostConfig {
  readonly dataDir: string;
  readonly slurpers: SlurpersSettings;
}
