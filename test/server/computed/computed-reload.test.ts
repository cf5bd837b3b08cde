/** A reload does not apply changed computed series in place: `computed` is listed as needing a restart, and nothing is applied for it. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.js';
import { applyConfig, type ReloadTargets } from '../../../server/reload/apply-config.js';
import { tempConfigDir } from '../config/helpers.js';

const files = tempConfigDir();
const load = (text: string) => loadConfig(files.write(`slurpers: { instances: [] }\n${text}`), { env: {}, cwd: files.dir });

describe('computed series on reload', () => {
  it('are reported as needing a restart', async () => {
    const calls: string[] = [];
    const targets: ReloadTargets = {
      notifier: { setRecipients: () => calls.push('recipients') },
      alarms: { replaceRules: async () => (calls.push('rules'), true) },
    };
    const running = load('computed: []\n');
    const next = load("computed: [{ name: fleet.up, op: count, match: 'ringmon.nodes.*.up', where: '>= 1' }]\n");
    const outcome = await applyConfig(targets, running, next);
    expect(outcome.restartNeeded).toEqual(['computed']);
    expect(outcome.applied).toEqual([]);
    expect(calls).toEqual([]);
  });
});
