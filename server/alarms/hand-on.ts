/**
 * Handing notices to the outbox: one call per recipient list (so a storm
 * becomes one message each), then the transitions told marked as noticed.
 * A list the outbox refuses is logged and left unmarked: the engine hands
 * unmarked transitions on again at its next start. Never throws.
 */
import type { AlarmNotice, AlarmRule } from './model.js';
import type { AlarmLogger, NoticeSink } from './ports.js';

/** A notice for the outbox, with its rule (whose recipients hear of it) and the recorded transition it tells, if any. */
export interface Handing {
  readonly rule: AlarmRule;
  readonly notice: AlarmNotice;
  readonly transitionId?: number;
}

/** Resolves with the number of notices the outbox took. */
export async function handOn(
  notices: readonly Handing[],
  sink: NoticeSink,
  markNoticed: (ids: readonly number[]) => Promise<void>,
  log: AlarmLogger,
): Promise<number> {
  const byRecipients = new Map<string, { recipients: readonly string[]; notices: AlarmNotice[]; ids: number[] }>();
  for (const { rule, notice, transitionId } of notices) {
    const key = rule.notify.join(',');
    let group = byRecipients.get(key);
    if (!group) byRecipients.set(key, (group = { recipients: rule.notify, notices: [], ids: [] }));
    group.notices.push(notice);
    if (transitionId !== undefined) group.ids.push(transitionId);
  }
  let taken = 0;
  for (const group of byRecipients.values()) {
    try {
      await sink.notify(group.recipients, group.notices);
      taken += group.notices.length;
      await markNoticed(group.ids);
    } catch (e) {
      log.error({ err: e, recipients: group.recipients, notices: group.notices.length }, 'alarms: the outbox did not take the notices; they are handed on again at the next start');
    }
  }
  return taken;
}
