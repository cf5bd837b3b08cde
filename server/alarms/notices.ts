/**
 * The notices the engine hands to the outbox (model.ts AlarmNotice), built
 * from what the notice policy (notice-policy.ts) decided to tell. Pure.
 *
 * A change notice tells a transition: the status it went to and the one it
 * left, at the transition's time. A standing notice (reminder,
 * downtime-over) tells a state that did not change: its status, the time
 * it began, and `now`; its `previous` is the status itself, as nothing
 * changed (the mails print it as `was`).
 *
 * Either carries the series' last message (a check's state line) when one
 * is given, as it was when the notice was made, its node's display name
 * (metadata `name`) when it has one, the graph link only when the server
 * has a public URL, and the values' unit and the last sample's time when
 * known (`more`).
 */
import type { ActiveDowntime } from '../downtimes/index.js';
import type { AlarmNotice, AlarmState, Transition } from './model.js';
import type { ChangeNoticeKind, StandingNoticeKind } from './notice-policy.js';

/** What else a notice tells of its series. */
export interface NoticeMore {
  readonly unit?: string;
  readonly lastSampleAt?: number;
}

export function changeNotice(kind: ChangeNoticeKind, t: Transition, downtime: ActiveDowntime | undefined, graphUrl: string | undefined, message?: string, displayName?: string, more: NoticeMore = {}): AlarmNotice {
  return {
    kind,
    series: t.series,
    rule: t.rule,
    status: t.to,
    previous: t.from,
    since: t.at,
    at: t.at,
    value: t.value,
    threshold: t.threshold,
    ...noticeDowntime(downtime),
    ...(graphUrl === undefined ? {} : { graphUrl }),
    ...(message === undefined ? {} : { message }),
    ...(displayName === undefined ? {} : { displayName }),
    ...(more.unit === undefined ? {} : { unit: more.unit }),
    ...(more.lastSampleAt === undefined ? {} : { lastSampleAt: more.lastSampleAt }),
  };
}

export function standingNotice(kind: StandingNoticeKind, state: AlarmState, now: number, downtime: ActiveDowntime | undefined, graphUrl: string | undefined, message?: string, displayName?: string, more: NoticeMore = {}): AlarmNotice {
  return {
    kind,
    series: state.series,
    rule: state.rule,
    status: state.status,
    previous: state.status,
    since: state.since,
    at: now,
    value: state.value,
    threshold: state.threshold,
    ...noticeDowntime(downtime),
    ...(graphUrl === undefined ? {} : { graphUrl }),
    ...(message === undefined ? {} : { message }),
    ...(displayName === undefined ? {} : { displayName }),
    ...(more.unit === undefined ? {} : { unit: more.unit }),
    ...(more.lastSampleAt === undefined ? {} : { lastSampleAt: more.lastSampleAt }),
  };
}

function noticeDowntime(downtime: ActiveDowntime | undefined): Pick<AlarmNotice, 'downtime'> {
  return downtime ? { downtime: { id: downtime.downtime.id, kind: downtime.downtime.kind, reason: downtime.downtime.reason } } : {};
}
