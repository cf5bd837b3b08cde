/**
 * applyConfig's decisions on real loaded configs: what a reload applies in
 * place (alarm rules, offered, recipients) and what it leaves for a
 * restart, with the reason when a live key cannot be applied. The targets
 * record what they are given; sighup.test.ts runs the real ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { applyConfig, changedKeys, type ReloadTargets } from '../../../server/reload/apply-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-apply-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function config(lines: string[]): ServerConfig {
  const file = join(dir, `c${files++}.yaml`);
  writeFileSync(file, ['slurpers: { instances: [] }', ...lines].join('\n'));
  return loadConfig(file, { env: {}, cwd: dir });
}

const withOps = (warning: string, port = 8080): string[] => [
  `listen: { port: ${port} }`,
  'alarms:',
  `  rules: [{ name: load, match: "h.*", warning: "> ${warning}", notify: [ops] }]`,
  '  recipients: [{ name: ops, webhook: ["http://127.0.0.1:9/hook"] }]',
  'reports: [{ name: daily, cron: "0 6 * * *", notify: [ops] }]',
];

function targets(replaced = true): ReloadTargets & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    notifier: { setRecipients: (r) => calls.push(`recipients ${r.map((x) => x.name).join(',')}`) },
    alarms: {
      replaceRules: async (a, atSwap) => {
        if (!replaced) return false;
        atSwap?.();
        calls.push(`rules ${a.rules.map((r) => r.warning).join(',')}`);
        return true;
      },
    },
  };
}

describe('applyConfig', () => {
  it('applies a changed rule and leaves a changed listen port for a restart', async () => {
    const running = config(withOps('5'));
    const next = config(withOps('7', 9090));
    expect(changedKeys(running, next)).toEqual(['alarms.rules', 'listen']);
    const t = targets();
    expect(await applyConfig(t, running, next)).toEqual({ applied: ['alarms.rules'], restartNeeded: ['listen'] });
    expect(t.calls).toEqual(['recipients ops', 'rules > 7']);
  });

  it('applies nothing when nothing live changed', async () => {
    const t = targets();
    expect(await applyConfig(t, config(withOps('5')), config(withOps('5', 9090)))).toEqual({ applied: [], restartNeeded: ['listen'] });
    expect(t.calls).toEqual([]);
  });

  it('keeps recipients and rules when a running report still names a recipient the file removes', async () => {
    const running = config(withOps('5'));
    const next = config(['listen: { port: 8080 }', 'alarms:', '  rules: [{ name: load, match: "h.*", warning: "> 7" }]']);
    const t = targets();
    const outcome = await applyConfig(t, running, next);
    expect(outcome.applied).toEqual([]);
    expect(outcome.restartNeeded).toEqual(expect.arrayContaining(["alarms.recipients (the running reports still send to 'ops')", 'reports']));
    expect(t.calls).toEqual([]);
  });

  it('keeps recipients when the running node-down alarm still names one the file removes', async () => {
    const lines = (recipients: string, notify: string): string[] => ['alarms:', `  recipients: [${recipients}]`, `nodes: { notify: [${notify}] }`];
    const running = config(lines('{ name: ops, webhook: ["http://127.0.0.1:9/hook"] }', 'ops'));
    const next = config(lines('', ''));
    const t = targets();
    const outcome = await applyConfig(t, running, next);
    expect(outcome.applied).toEqual([]);
    expect(outcome.restartNeeded).toEqual(expect.arrayContaining(["alarms.recipients (the running node-down alarm still sends to 'ops')", 'nodes']));
    expect(t.calls).toEqual([]);
  });

  it('says so when the alarm engine could not take the rules (its database behind)', async () => {
    const outcome = await applyConfig(targets(false), config(withOps('5')), config(withOps('7')));
    expect(outcome).toEqual({ applied: [], restartNeeded: ['alarms.rules (the alarm database is behind; reload again once it catches up)'] });
  });
});
