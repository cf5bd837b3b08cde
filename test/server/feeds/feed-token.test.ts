/**
 * A feed's URL token file: read at start with the owner-only check and the
 * token's alphabet and length, a problem a ConfigError naming
 * feeds[i].tokenFile (never quoting the token); followed when rewritten;
 * failing closed, and saying so once, when the file turns bad.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config-schema/index.js';
import { compileFeeds } from '../../../server/feeds/feed-set.js';
import { FeedToken, FeedTokenError } from '../../../server/feeds/feed-token.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-feed-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function tokenFile(text: string, mode = 0o600): string {
  const path = join(dir, `token-${++n}`);
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}
const GOOD = '0123456789abcdef0123456789abcdef';

describe('FeedToken', () => {
  it('matches the token in the file (less its line break) and nothing else', () => {
    const token = new FeedToken(tokenFile(`${GOOD}\n`), () => {});
    expect(token.matches(GOOD)).toBe(true);
    expect(token.matches(`${GOOD}x`)).toBe(false);
    expect(token.matches(GOOD.slice(1))).toBe(false);
    expect(token.matches('')).toBe(false);
  });

  it('refuses a file group or others may read, with the chmod that fixes it', () => {
    const path = tokenFile(GOOD, 0o644);
    expect(() => new FeedToken(path, () => {})).toThrow(FeedTokenError);
    expect(() => new FeedToken(path, () => {})).toThrow(`chmod 600 ${path}`);
  });

  it('refuses a token too short, too long or not URL-safe, without quoting it', () => {
    for (const bad of ['short-token', 'x'.repeat(257), 'has space in it 0123456', 'pl+us/slash=0123456789']) {
      let message = '';
      try {
        new FeedToken(tokenFile(bad), () => {});
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, bad).toMatch(/the token must be 16 to 256 of/);
      expect(message).not.toContain(bad);
    }
  });

  it('follows a rewritten file, and fails closed while the file is bad, told once', () => {
    const path = tokenFile(GOOD);
    const faults: string[] = [];
    const token = new FeedToken(path, (message) => faults.push(message));
    writeFileSync(path, 'fedcba9876543210fedcba9876543210');
    expect(token.matches('fedcba9876543210fedcba9876543210')).toBe(true);
    expect(token.matches(GOOD)).toBe(false);
    chmodSync(path, 0o640);
    expect(token.matches('fedcba9876543210fedcba9876543210')).toBe(false);
    expect(token.matches('fedcba9876543210fedcba9876543210')).toBe(false);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toContain('too open');
    rmSync(path);
    expect(token.matches('fedcba9876543210fedcba9876543210')).toBe(false);
    expect(faults[1]).toContain('no such file');
  });
});

describe('compileFeeds', () => {
  it('names each feed whose token file cannot serve, by its key', () => {
    const settings = [
      { name: 'a', match: '**', statuses: ['CRITICAL' as const], entries: 50, tokenFile: tokenFile(GOOD) },
      { name: 'b', match: '**', statuses: ['CRITICAL' as const], entries: 50, tokenFile: join(dir, 'missing') },
      { name: 'c', match: ['x.**', 'y.**'], statuses: ['OK' as const], entries: 5, tokenFile: tokenFile(GOOD, 0o604) },
    ];
    let error: unknown;
    try {
      compileFeeds(settings, () => {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(['feeds[1].tokenFile', 'feeds[2].tokenFile']);
    expect((error as ConfigError).problems[0].message).toContain('no such file');
  });

  it('holds the built-in feed of every transition, and each feed with its patterns and states', () => {
    const feeds = compileFeeds([{ name: 'lab', match: ['lab.*.temp', 'lab.**.up'], statuses: ['CRITICAL', 'OK'], entries: 20 }], () => {});
    expect([...feeds.keys()]).toEqual(['alarms', 'lab']);
    const lab = feeds.get('lab');
    expect(lab?.subtitle).toBe('Transitions to CRITICAL, OK of lab.*.temp, lab.**.up');
    expect(['lab.a.temp', 'lab.a.b.up', 'lab.a.b.temp', 'site.a.temp'].map((s) => lab?.wanted(s))).toEqual([true, true, false, false]);
    expect(lab?.token).toBeUndefined();
    expect(feeds.get('alarms')?.statuses).toEqual(['OK', 'WARNING', 'CRITICAL', 'NODATA']);
  });
});
