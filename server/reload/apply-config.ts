/**
 * What a reload can change in a running server, and what waits for a
 * restart. Applied in place: alarms.recipients (the notifier's addresses),
 * then alarms.rules and alarms.offered (the alarm engine's rules; states
 * kept for series a rule still alarms). Everything else that differs
 * (listen, dataDir, notify, slurpers, reports, alarms.groupWait, ...) is
 * reported as needing a restart; the running config stays its reference.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ServerConfig } from '../config/index.js';
import { checkRecipients } from '../notify/destinations.js';

/** The two parts a reload changes; start.ts passes the running ones. */
export interface ReloadTargets {
  readonly notifier: { setRecipients(recipients: ServerConfig['alarms']['recipients'], notify: ServerConfig['notify']): void };
  readonly alarms: { replaceRules(alarms: ServerConfig['alarms'], atSwap?: () => void): Promise<boolean> };
}

/** What one reload did: the keys applied, and the keys (with why, when not just "changed") that need a restart. */
export interface Applied {
  readonly applied: string[];
  readonly restartNeeded: string[];
}

/** Settings under `alarms` a reload applies; its other settings need a restart. */
const LIVE_ALARM_KEYS = ['recipients', 'rules', 'offered'] as const;

/** The keys that differ: top-level sections, and under `alarms` each setting on its own. */
export function changedKeys(running: ServerConfig, next: ServerConfig): string[] {
  const differ = (a: object, b: object, prefix: string): string[] =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((k) => !isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      .map((k) => prefix + k);
  return differ(running, next, '')
    .flatMap((k) => (k === 'alarms' ? differ(running.alarms, next.alarms, 'alarms.') : [k]))
    .sort();
}

/**
 * Applies what can be applied of `next` (checked whole already) to
 * `targets`. Returns the keys applied and those left for a restart; the
 * caller keeps `running` as its reference for the next reload, so a key
 * left for a restart is reported again then.
 */
export async function applyConfig(targets: ReloadTargets, running: ServerConfig, next: ServerConfig): Promise<Applied> {
  const changed = changedKeys(running, next);
  const live = LIVE_ALARM_KEYS.map((k) => `alarms.${k}`).filter((k) => changed.includes(k));
  const restartNeeded = changed.filter((k) => !live.includes(k));
  if (live.length === 0) return { applied: [], restartNeeded };
  try {
    // Against the running notify settings: a changed notify section is not applied.
    checkRecipients(next.alarms.recipients, running.notify);
    // Nor are changed reports: the running ones must still find every recipient they name.
    const names = new Set(next.alarms.recipients.map((r) => r.name));
    const lost = [...new Set(running.reports.flatMap((r) => r.notify))].filter((n) => !names.has(n));
    if (lost.length > 0) throw new Error(`the running reports still send to ${lost.map((n) => `'${n}'`).join(', ')}`);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { applied: [], restartNeeded: [...restartNeeded, ...live.map((k) => `${k} (${why})`)] };
  }
  // Recipients and rules switch at one moment: a rule never names a recipient the notifier does not know.
  if (await targets.alarms.replaceRules(next.alarms, () => targets.notifier.setRecipients(next.alarms.recipients, running.notify))) return { applied: live, restartNeeded };
  return { applied: [], restartNeeded: [...restartNeeded, ...live.map((k) => `${k} (the alarm database is behind; reload again once it catches up)`)] };
}
