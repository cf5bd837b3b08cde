/**
 * The count limits of the downtime database (downtimes.maxFiled,
 * maxFiledPerAuthor) on a real SQLite file with the clock passed in: what
 * counts (in effect, to come, or filed in the last day, cancelled or not),
 * refusals that store nothing, and room made as downtimes end and a day
 * passes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DowntimeLimitError, Downtimes, type DowntimeDraft } from '../../../server/downtimes/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtime-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T = 1_796_112_000; // 2026-12-01T08:00:00Z
const DAY = 86_400;

const draft = (start: number, over: Partial<DowntimeDraft> = {}): DowntimeDraft => ({
  kind: 'planned',
  scope: { series: ['host.web01.*'], agents: [] },
  start,
  end: start + 3600,
  rrule: null,
  timezone: 'UTC',
  reason: 'kernel upgrade',
  ...over,
});

const refusal = (p: Promise<unknown>): Promise<DowntimeLimitError> => p.then(() => expect.fail('accepted'), (e: unknown) => e as DowntimeLimitError);

describe('count limits', () => {
  it('count what is in effect, to come or filed in the last day; refuse beyond, storing nothing', async () => {
    const downtimes = await Downtimes.open(join(dir, 'a.sqlite'), { maxWindowSeconds: 90 * DAY, maxFiled: 4, maxFiledPerAuthor: 2 });
    await downtimes.create(draft(T + 3 * DAY), 'alice', T);
    const past = await downtimes.create(draft(T - 7200), 'alice', T);
    const refused = await refusal(downtimes.create(draft(T + 3 * DAY), 'alice', T));
    expect(refused).toBeInstanceOf(DowntimeLimitError);
    expect(refused.setting).toBe('downtimes.maxFiledPerAuthor');
    expect(await downtimes.list({ includeCancelled: true })).toHaveLength(2);

    // A day later the one that was over no longer counts; the one to come still does.
    await downtimes.create(draft(T + 2 * DAY), 'alice', T + DAY + 1);
    expect((await refusal(downtimes.create(draft(T + 2 * DAY), 'alice', T + DAY + 1))).setting).toBe('downtimes.maxFiledPerAuthor');

    // Everyone together: alice's two to come and bob's two.
    await downtimes.create(draft(T + 2 * DAY), 'bob', T + DAY + 1);
    const recurring = await downtimes.create(draft(T - 30 * DAY, { rrule: 'FREQ=WEEKLY' }), 'bob', T + DAY + 1);
    expect((await refusal(downtimes.create(draft(T + 2 * DAY), 'carol', T + DAY + 1))).setting).toBe('downtimes.maxFiled');
    // A recurring one counts until cancelled; cancelled a day after filing, it makes room.
    await downtimes.cancel(recurring.id, 'bob', T + DAY + 2);
    expect((await refusal(downtimes.create(draft(T + 2 * DAY), 'carol', T + DAY + 3))).setting).toBe('downtimes.maxFiled');
    await downtimes.create(draft(T + 3 * DAY), 'carol', T + 2 * DAY + 2);
    expect(past.id).toBe(2);
    await downtimes.close();
  });
});
