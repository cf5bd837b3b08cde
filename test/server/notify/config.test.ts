/**
 * The `notify` section as loadConfig reads it, and the checks at start that
 * span sections or read files: each error names the key at fault.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config/index.js';
import { Notifier } from '../../../server/notify/index.js';
import { problemsOf, tempConfigDir } from '../config/helpers.js';
import { memoryLog, notifySettings, OPS, tempFiles } from './helpers/fixtures.js';

const files = tempFiles();
const configs = tempConfigDir();

async function startError(options: Partial<Parameters<typeof Notifier.open>[0]>): Promise<ConfigError> {
  const opening = Notifier.open({ file: files.newFile(), notify: notifySettings(25), recipients: OPS, groupWaitSeconds: 0, log: memoryLog(), ...options });
  const error = await opening.then(
    async (n) => {
      await n.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('the notify section', () => {
  it('has defaults, reads durations and resolves paths from the config file', () => {
    const defaults = loadConfig(undefined, { env: {}, cwd: configs.dir });
    expect(defaults.notify).toEqual({ webhook: { timeout: 10 }, retry: { initial: 5, max: 600 }, keep: 90 * 86_400 });
    const path = configs.write(
      ['notify:', '  email: { host: mail.example, from: ringmon@example.com, user: ringmon, passwordFile: secrets/smtp }', '  retry: { initial: 2s, max: 5m }', '  keep: 30d'].join('\n'),
    );
    const config = loadConfig(path, { env: {} });
    expect(config.notify.email).toEqual({
      host: 'mail.example',
      port: 25,
      secure: false,
      starttls: 'opportunistic',
      allowPlainAuth: false,
      user: 'ringmon',
      passwordFile: join(configs.dir, 'secrets/smtp'),
      from: 'ringmon@example.com',
      timeout: 30,
    });
    expect(config.notify.retry).toEqual({ initial: 2, max: 300 });
    expect(config.notify.keep).toBe(30 * 86_400);
  });

  it('refuses settings that cannot work, naming the key', () => {
    const path = configs.write(
      ['notify:', '  email: { host: mail.example, from: not-an-address, user: ringmon, starttls: sometimes }', '  retry: { initial: 10m, max: 1m }'].join('\n'),
    );
    const problems = problemsOf(path);
    expect(problems.map((p) => p.key).toSorted()).toEqual(['notify.email.from', 'notify.email.starttls']);
    const second = problemsOf(configs.write(['notify:', '  email: { host: mail.example, from: a@b.example, user: ringmon }', '  retry: { initial: 10m, max: 1m }'].join('\n')));
    expect(second).toEqual([
      { key: 'notify.email.passwordFile', message: 'is required with notify.email.user' },
      { key: 'notify.retry.max', message: 'must not be shorter than notify.retry.initial (600s)' },
    ]);
  });

  it('refuses starttls: never with a password, unless allowPlainAuth says so', () => {
    const email = (extra: string): string => configs.write(['notify:', `  email: { host: mail.example, from: a@b.example, user: ringmon, passwordFile: secrets/smtp, starttls: never${extra} }`].join('\n'));
    const problems = problemsOf(email(''));
    expect(problems).toEqual([{ key: 'notify.email.starttls', message: expect.stringMatching(/^must not be never with notify\.email\.passwordFile: the password would go out in clear; .*notify\.email\.allowPlainAuth: true/) }]);
    expect(loadConfig(email(', allowPlainAuth: true'), { env: {} }).notify.email).toMatchObject({ starttls: 'never', allowPlainAuth: true });
    expect(loadConfig(email(', secure: true'), { env: {} }).notify.email).toMatchObject({ secure: true });
    expect(loadConfig(email(', secure: true, caFile: certs/relay.pem'), { env: {} }).notify.email?.caFile).toBe(join(configs.dir, 'certs/relay.pem'));
  });
});

describe('at start', () => {
  it('a recipient with e-mail addresses needs notify.email', async () => {
    const error = await startError({ notify: { ...notifySettings(25), email: undefined } });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].key).toBe('notify.email');
    expect(error.problems[0].message).toMatch(/recipient 'ops' has e-mail addresses/);
    expect(error.message).toContain('notify.email: is required');
  });

  it('webhook-only recipients need no notify.email', async () => {
    const notifier = await Notifier.open({
      file: files.newFile(),
      notify: { ...notifySettings(25), email: undefined },
      recipients: [{ name: 'chat', email: [], webhook: ['http://127.0.0.1:9/hook'] }],
      groupWaitSeconds: 0,
      log: memoryLog(),
    });
    await notifier.close();
  });

  it('refuses a password file others may read, with the chmod that fixes it', async () => {
    const passwordFile = join(files.dir, 'open-password');
    writeFileSync(passwordFile, 'hunter2\n');
    chmodSync(passwordFile, 0o644);
    const settings = notifySettings(25);
    const error = await startError({ notify: { ...settings, email: { ...settings.email!, user: 'ringmon', passwordFile } } });
    expect(error.problems).toEqual([{ key: 'notify.email.passwordFile', message: expect.stringContaining(`permissions 0644 are too open`) }]);
    expect(error.message).toContain(`chmod 600 ${passwordFile}`);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a missing token file, naming notify.webhook.tokenFile', async () => {
    const tokenFile = join(files.dir, 'no-such-token');
    const error = await startError({ notify: { ...notifySettings(25), webhook: { timeout: 2, tokenFile } } });
    expect(error.problems).toEqual([{ key: 'notify.webhook.tokenFile', message: `${tokenFile}: no such file` }]);
  });

  it('an unknown recipient name is a programming error', async () => {
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(25), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await expect(notifier.notify(['nobody'], [])).rejects.toThrow("unknown recipient 'nobody'");
      expect(await notifier.list()).toEqual([]);
    } finally {
      await notifier.close();
    }
  });
});
