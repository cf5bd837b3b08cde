/**
 * The request log never holds a credential sent in a URL: redactedUrl's
 * rewriting, and a real `ringmon serve` at log level info asked with a
 * `token` in the query (a feed's URL token, or one sent anywhere by
 * mistake), however the name is spelled or encoded: its log lines show the
 * URL with `[Redacted]` and never the token.
 */
import { join } from 'node:path';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { redactedUrl } from '../../../server/http/log-serializers.js';
import { addToken } from '../../../server/auth/token-file.js';
import { launcherInTempDir, type ServedFolder } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

describe('redactedUrl', () => {
  it('replaces the value of every token parameter and keeps the rest', () => {
    expect(redactedUrl('/api/v1/feeds/a.atom?token=s3cret&limit=5')).toBe('/api/v1/feeds/a.atom?token=[Redacted]&limit=5');
    expect(redactedUrl('/x?limit=5&token=a&token=b')).toBe('/x?limit=5&token=[Redacted]&token=[Redacted]');
    expect(redactedUrl('/x?tok%65n=s3cret&TOKEN=t&token')).toBe('/x?tok%65n=[Redacted]&TOKEN=[Redacted]&token=[Redacted]');
    expect(redactedUrl('/x?tokens=kept&mytoken=kept')).toBe('/x?tokens=kept&mytoken=kept');
    expect(redactedUrl('/x?%E0%A4%A=1&token=s')).toBe('/x?%E0%A4%A=1&token=[Redacted]');
    expect(redactedUrl('/api/v1/alarms')).toBe('/api/v1/alarms');
  });
});

const { dir, launcher } = launcherInTempDir('ringmon-log-redaction-');
let served: ServedFolder;
let viewer: string;

beforeAll(async () => {
  const tokensFile = join(dir, 'tokens');
  viewer = addToken(tokensFile, 'reader', 'viewer');
  served = await launcher.serveIn(dir, { tokensFile, log: 'info' }, { slurpers: { instances: [] } });
}, 90_000);

describe('the request log of a real server', () => {
  it('shows a URL token as [Redacted], on every route, answered or refused', async () => {
    const secrets = ['first-secret-0123456789', 'second-secret-0123456789', 'third-secret-0123456789', 'fourth-secret-0123456789'];
    const urls = [
      `/api/v1/alarms?token=${secrets[0]}`,
      `/api/v1/series?match=a.*&tok%65n=${secrets[1]}`,
      `/api/v1/no-such-route?token=${secrets[2]}`,
      `/api/v1/alarms/history?limit=0&token=${secrets[3]}`,
    ];
    for (const url of urls) {
      const res = await request(`${served.base}${url}`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(await res.body.text()).not.toMatch(/secret-0123456789/);
    }
    await until(() => (served.proc.output().match(/\[Redacted\]/g) ?? []).length >= urls.length, 'the request lines');
    const log = served.proc.output();
    for (const secret of [...secrets, viewer]) expect(log).not.toContain(secret);
    expect(log).toContain('"url":"/api/v1/alarms?token=[Redacted]"');
  });
});
