/**
 * applyConfig and the slurper instances, on real loaded configs: changed
 * instances and folders are handed to the slurper host with the running
 * data folder and applied with what changed; a changed concurrency waits
 * for a restart; a host that refuses leaves both keys for a restart with
 * its reason; without a host, slurper changes need a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { applyConfig, changedKeys, type ReloadTargets } from '../../../server/reload/apply-config.js';
import type { SlurperHostConfig } from '../../../server/slurpers/config-section.js';
import { instanceChanges } from '../../../server/slurpers/instance-changes.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-apply-slurpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function config(instances: string[], extra: string[] = []): ServerConfig {
  const file = join(dir, `c${files++}.yaml`);
  writeFileSync(file, [`dataDir: ${join(dir, 'data')}`, 'slurpers:', ...extra, '  instances:', ...instances.map((i) => `    - ${i}`), ''].join('\n'));
  return loadConfig(file, { env: {}, cwd: dir });
}

const ping = (name: string, every = '10s'): string => `{ slurper: ping, name: ${name}, every: ${every}, options: { host: 127.0.0.1 } }`;

function targets(refuse?: string): ReloadTargets & { given: SlurperHostConfig[] } {
  const given: SlurperHostConfig[] = [];
  let running: SlurperHostConfig['slurpers']['instances'] | undefined;
  return {
    given,
    notifier: { setRecipients: () => {} },
    alarms: { replaceRules: async () => true },
    slurpers: {
      apply: async (next) => {
        if (refuse !== undefined) throw new Error(refuse);
        given.push(next);
        const changes = instanceChanges(running ?? [], next.slurpers.instances);
        running = next.slurpers.instances;
        return changes;
      },
    },
  };
}

describe('applyConfig with slurper instances', () => {
  it('applies changed instances with what changed, against the running data folder', async () => {
    const running = config([ping('a'), ping('b')]);
    const next = { ...config([ping('a', '30s'), ping('c')]), dataDir: join(dir, 'elsewhere') };
    expect(changedKeys(running, next)).toEqual(['dataDir', 'slurpers.instances']);
    const t = targets();
    await t.slurpers!.apply(running); // what runs now
    const outcome = await applyConfig(t, running, next);
    expect(outcome).toEqual({ applied: ['slurpers.instances (started c; stopped b; restarted a)'], restartNeeded: ['dataDir'] });
    expect(t.given[1]).toEqual({ dataDir: running.dataDir, slurpers: next.slurpers });
  });

  it('leaves a changed concurrency for a restart, and applies nothing when no instance changed', async () => {
    const t = targets();
    const outcome = await applyConfig(t, config([ping('a')]), config([ping('a')], ['  concurrency: 4']));
    expect(outcome).toEqual({ applied: [], restartNeeded: ['slurpers.concurrency'] });
    expect(t.given).toEqual([]);
  });

  it('leaves the instances for a restart with the reason when the host refuses them', async () => {
    const outcome = await applyConfig(targets('a folder could not be read'), config([ping('a')]), config([ping('b')]));
    expect(outcome).toEqual({ applied: [], restartNeeded: ['slurpers.instances (a folder could not be read)'] });
  });

  it('reports changed instances as needing a restart without a slurper host', async () => {
    const { slurpers: _none, ...withoutHost } = targets();
    expect(await applyConfig(withoutHost, config([ping('a')]), config([ping('b')]))).toEqual({ applied: [], restartNeeded: ['slurpers.instances'] });
  });
});
