/**
 * The notice policy alone, with the clock passed in: the first crossing, a
 * reminder at renotify, the recovery, a change during a planned downtime
 * told when it is over, and nothing told twice (as a property over random
 * histories of changes, downtimes and ticks).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmStatus, NoticeKind } from '../../../server/alarms/model.js';
import { changeNoticeKind, decideOnChange, decideOnTick, FRESH_MEMORY, needsTicks, type NoticeMemory } from '../../../server/alarms/notice-policy.js';

const T0 = 1_800_000_000;
const RENOTIFY = 3600;
const none = (): undefined => undefined;
const inDowntime = (id: number) => (): number => id;

describe('a change of status', () => {
  it('tells the first crossing as a problem and remembers when', () => {
    expect(decideOnChange(FRESH_MEMORY, 'CRITICAL', T0, undefined)).toEqual({ notice: 'problem', memory: { notified: true, lastNotifiedAt: T0, suppressedBy: null } });
    expect(decideOnChange(FRESH_MEMORY, 'NODATA', T0, undefined).notice).toBe('problem');
  });

  it('tells a change between bad statuses as a problem', () => {
    const told = decideOnChange(FRESH_MEMORY, 'CRITICAL', T0, undefined).memory;
    expect(decideOnChange(told, 'WARNING', T0 + 60, undefined)).toEqual({ notice: 'problem', memory: { notified: true, lastNotifiedAt: T0 + 60, suppressedBy: null } });
  });

  it('tells the recovery of a problem people heard of, and forgets the episode', () => {
    const told = decideOnChange(FRESH_MEMORY, 'WARNING', T0, undefined).memory;
    expect(decideOnChange(told, 'OK', T0 + 60, undefined)).toEqual({ notice: 'recovery', memory: FRESH_MEMORY });
    expect(needsTicks(FRESH_MEMORY)).toBe(false);
  });

  it('does not tell a recovery no one needs: the problem was never told', () => {
    expect(decideOnChange(FRESH_MEMORY, 'OK', T0, undefined)).toEqual({ notice: undefined, memory: FRESH_MEMORY });
    const quiet = decideOnChange(FRESH_MEMORY, 'CRITICAL', T0, 7).memory;
    expect(decideOnChange(quiet, 'OK', T0 + 60, undefined)).toEqual({ notice: undefined, memory: FRESH_MEMORY });
  });

  it('keeps a change in a planned downtime quiet and remembers which downtime', () => {
    const decision = decideOnChange(FRESH_MEMORY, 'CRITICAL', T0, 7);
    expect(decision).toEqual({ notice: undefined, memory: { notified: false, lastNotifiedAt: null, suppressedBy: 7 } });
    expect(needsTicks(decision.memory)).toBe(true);
  });

  it('names the kind of a recorded change whose notice a stop left unsent', () => {
    expect(changeNoticeKind('OK')).toBe('recovery');
    for (const to of ['WARNING', 'CRITICAL', 'NODATA'] as const) expect(changeNoticeKind(to)).toBe('problem');
  });
});

describe('a tick', () => {
  const told: NoticeMemory = { notified: true, lastNotifiedAt: T0, suppressedBy: null };

  it('reminds at renotify, as a reminder from now on, and not before', () => {
    expect(decideOnTick(told, 'CRITICAL', T0 + RENOTIFY - 1, RENOTIFY, none)).toEqual({ notice: undefined, memory: told });
    expect(decideOnTick(told, 'CRITICAL', T0 + RENOTIFY, RENOTIFY, none)).toEqual({ notice: 'reminder', memory: { notified: true, lastNotifiedAt: T0 + RENOTIFY, suppressedBy: null } });
  });

  it('does not remind without renotify, during a planned downtime, or when OK', () => {
    expect(decideOnTick(told, 'CRITICAL', T0 + 10 * RENOTIFY, undefined, none).notice).toBeUndefined();
    expect(decideOnTick(told, 'CRITICAL', T0 + 10 * RENOTIFY, RENOTIFY, inDowntime(3)).notice).toBeUndefined();
    expect(decideOnTick(told, 'OK', T0 + 10 * RENOTIFY, RENOTIFY, none)).toEqual({ notice: undefined, memory: told });
  });

  it('asks for the planned downtime only when the answer matters', () => {
    let asked = 0;
    const planned = (): undefined => {
      asked++;
      return undefined;
    };
    decideOnTick(told, 'CRITICAL', T0 + 1, RENOTIFY, planned);
    decideOnTick(told, 'OK', T0 + 10 * RENOTIFY, RENOTIFY, planned);
    expect(asked).toBe(0);
  });

  it('tells a change kept quiet by a downtime once the downtime is over, and only then', () => {
    const quiet = decideOnChange(FRESH_MEMORY, 'CRITICAL', T0, 7).memory;
    expect(decideOnTick(quiet, 'CRITICAL', T0 + 100, RENOTIFY, inDowntime(7))).toEqual({ notice: undefined, memory: quiet });
    expect(decideOnTick(quiet, 'CRITICAL', T0 + 600, RENOTIFY, none)).toEqual({ notice: 'downtime-over', memory: { notified: true, lastNotifiedAt: T0 + 600, suppressedBy: null } });
  });

  it('moves to the next planned downtime without telling', () => {
    const quiet = decideOnChange(FRESH_MEMORY, 'WARNING', T0, 7).memory;
    expect(decideOnTick(quiet, 'WARNING', T0 + 600, RENOTIFY, inDowntime(8))).toEqual({ notice: undefined, memory: { ...quiet, suppressedBy: 8 } });
  });
});

type Event = { readonly type: 'change'; readonly to: AlarmStatus; readonly planned: boolean } | { readonly type: 'tick'; readonly planned: boolean };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ type: fc.constant('change' as const), to: fc.constantFrom<AlarmStatus>('OK', 'WARNING', 'CRITICAL', 'NODATA'), planned: fc.boolean() }),
  fc.record({ type: fc.constant('tick' as const), planned: fc.boolean() }),
);

describe('nothing told twice', () => {
  it('over any history of changes, downtimes and ticks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(eventArb, fc.integer({ min: 1, max: 2 * RENOTIFY })), { maxLength: 60 }), (history) => {
        let memory = FRESH_MEMORY;
        let status: AlarmStatus = 'OK';
        let now = T0;
        /** `changed`: the status changed since the notice before. */
        const told: { kind: NoticeKind; status: AlarmStatus; at: number; changed: boolean }[] = [];
        let changed = false;
        for (const [event, gap] of history) {
          now += gap;
          const planned = event.planned ? inDowntime(1) : none;
          if (event.type === 'change') {
            if (event.to === status) continue;
            status = event.to;
            changed = true;
            const decision = decideOnChange(memory, status, now, planned());
            memory = decision.memory;
            if (decision.notice) told.push({ kind: decision.notice, status, at: now, changed });
            if (decision.notice) changed = false;
          } else {
            // The engine ticks every second: a second tick at the same time must find nothing more.
            for (let i = 0; i < 2; i++) {
              const decision = decideOnTick(memory, status, now, RENOTIFY, planned);
              memory = decision.memory;
              if (decision.notice) told.push({ kind: decision.notice, status, at: now, changed });
              if (decision.notice) changed = false;
            }
          }
        }
        for (let i = 0; i < told.length; i++) {
          const notice = told[i];
          const before = told[i - 1];
          expect(notice.kind === 'recovery').toBe(notice.status === 'OK');
          // A recovery answers a bad state people heard of.
          if (notice.kind === 'recovery') expect(before !== undefined && before.kind !== 'recovery').toBe(true);
          // Without a change in between, a repeat is a reminder, renotify after the last word, or the end of a downtime.
          if (before !== undefined && !notice.changed && notice.kind !== 'downtime-over') {
            expect(notice.kind).toBe('reminder');
            expect(notice.at - before.at).toBeGreaterThanOrEqual(RENOTIFY);
          }
          if (notice.kind === 'reminder' || notice.kind === 'downtime-over') expect(notice.status).not.toBe('OK');
          if (notice.kind === 'reminder') expect(notice.changed).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
