/**
 * `ringmon config check FILE` as a real process: the docs' example config
 * (its /etc/ringmon files made in a scratch folder) is valid and nothing is
 * created; a broken one exits non-zero naming the key, and starts nothing.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherInTempDir } from '../helpers/ringmon-process.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'ringmon.yaml');
const { dir, launcher } = launcherInTempDir('ringmon-config-check-');

/** The example with /etc/ringmon and /var/lib/ringmon moved under `dir`, its files made; `edit` changes its text. */
function exampleConfig(name: string, edit: (text: string) => string = (t) => t): string {
  const etc = join(dir, `${name}-etc`);
  mkdirSync(join(etc, 'slurpers'), { recursive: true });
  for (const secret of ['smtp.password', 'webhook.token']) {
    writeFileSync(join(etc, secret), 'not-a-real-secret\n');
    chmodSync(join(etc, secret), 0o600);
  }
  const text = readFileSync(EXAMPLE, 'utf8')
    .replaceAll('/etc/ringmon', etc)
    .replaceAll('/var/lib/ringmon', join(dir, `${name}-data`))
    // A CA file needs a real certificate: the check of caFile has a test of its own in the notifier's.
    .replace(/^\s*caFile:.*\n/m, '');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, edit(text));
  return file;
}

async function check(file: string): Promise<{ code: number | null; output: string }> {
  const child = launcher.run(['config', 'check', file]);
  const code = await child.exited;
  return { code, output: child.output() };
}

describe('ringmon config check', () => {
  it('finds the example config valid, in one line, and creates nothing', async () => {
    const file = exampleConfig('good');
    const before = readdirSync(dir).sort();
    const { code, output } = await check(file);
    expect(output).toBe(`${file}: valid (3 slurper instances, 2 alarm rules, 2 recipients, 1 report)\n`);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, 'good-data'))).toBe(false);
  }, 60_000);

  it('refuses a broken config, naming the key, exit 1', async () => {
    const file = exampleConfig('bad-threshold', (t) => t.replace('warning: "> 85"', 'warning: "> lots"'));
    const { code, output } = await check(file);
    expect(code).toBe(1);
    expect(output).toMatch(/invalid configuration in .*bad-threshold\.yaml: alarms\.rules\[0\]\.warning/);
    expect(existsSync(join(dir, 'bad-threshold-data'))).toBe(false);
  }, 60_000);

  it('refuses a secret file others may read, as serve would, naming the key', async () => {
    const file = exampleConfig('open-secret');
    chmodSync(join(dir, 'open-secret-etc', 'smtp.password'), 0o644);
    const { code, output } = await check(file);
    expect(code).toBe(1);
    expect(output).toContain('notify.email.passwordFile');
  }, 60_000);

  it('refuses a slurper instance with an unknown slurper, naming the instance and key', async () => {
    const file = exampleConfig('bad-slurper', (t) => t.replace('- slurper: http\n', '- slurper: no-such-slurper\n'));
    const { code, output } = await check(file);
    expect(code).toBe(1);
    expect(output).toContain('slurpers.instances[1].slurper: no slurper named');
  }, 60_000);

  it('--help says what it checks', async () => {
    const child = launcher.run(['config', 'check', '--help']);
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('Usage: ringmon config check FILE');
  }, 60_000);
});
