/**
 * What a reload can change in a running server, and what waits for a
 * restart. Applied in place: alarms.recipients (the notifier's addresses),
 * then alarms.rules and alarms.offered (the alarm engine's rules; states
 * kept for series a rule still alarms); slurpers.instances (instances
 * added, removed or changed start, stop or restart; the others run on
 * untouched) and slurpers.dirs (where the slurpers of those are found).
 * Everything else that differs (listen, dataDir, notify, reports,
 * slurpers.concurrency, alarms.groupWait, ...) is reported as needing a
 * restart; the running config stays its reference.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ServerConfig } from '../config/index.js';
import { checkRecipients } from '../notify/destinations.js';
import { describeChanges, type InstanceChanges } from '../slurpers/instance-changes.js';
import type { SlurperHostConfig } from '../slurpers/config-section.js';

/** The parts a reload changes; start.ts passes the running ones. */
export interface ReloadTargets {
  readonly notifier: { setRecipients(recipients: ServerConfig['alarms']['recipients'], notify: ServerConfig['notify']): void };
  readonly alarms: { replaceRules(alarms: ServerConfig['alarms'], atSwap?: () => void): Promise<boolean> };
  /** The server's slurper instances (ServerSlurpers); without it, changed slurper settings wait for a restart. */
  readonly slurpers?: { apply(next: SlurperHostConfig): Promise<InstanceChanges> };
  /** The node metadata (server/metadata MetadataSource): its file is re-read at every reload; a bad one is logged and kept out. */
  readonly metadata?: { reread(): unknown };
}

/**
 * What one reload did: the keys applied (slurpers.instances with what
 * changed: `slurpers.instances (started a; stopped b; restarted c)`), and
 * the keys (with why, when not just "changed") that need a restart.
 */
export interface Applied {
  readonly applied: string[];
  readonly restartNeeded: string[];
}

/** Settings under `alarms` a reload applies; its other settings need a restart. */
const LIVE_ALARM_KEYS = ['recipients', 'rules', 'offered'] as const;
/** Settings under `slurpers` a reload applies; concurrency needs a restart. */
const LIVE_SLURPER_KEYS = ['dirs', 'instances'] as const;
/** Sections whose settings are compared one by one. */
const SPLIT_SECTIONS = ['alarms', 'slurpers'] as const;

/** The keys that differ: top-level sections, and under `alarms` and `slurpers` each setting on its own. */
export function changedKeys(running: ServerConfig, next: ServerConfig): string[] {
  const differ = (a: object, b: object, prefix: string): string[] =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((k) => !isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      .map((k) => prefix + k);
  const split = (k: string): k is (typeof SPLIT_SECTIONS)[number] => (SPLIT_SECTIONS as readonly string[]).includes(k);
  return differ(running, next, '')
    .flatMap((k) => (split(k) ? differ(running[k], next[k], `${k}.`) : [k]))
    .sort();
}

/** The config key an applied entry is about (`slurpers.instances (started a)` → `slurpers.instances`). */
export function appliedKey(entry: string): string {
  const space = entry.indexOf(' ');
  return space === -1 ? entry : entry.slice(0, space);
}

/**
 * Applies what can be applied of `next` (checked whole already) to
 * `targets`. Returns the keys applied and those left for a restart; the
 * caller keeps `running` as its reference for the next reload, so a key
 * left for a restart is reported again then.
 */
export async function applyConfig(targets: ReloadTargets, running: ServerConfig, next: ServerConfig): Promise<Applied> {
  const changed = changedKeys(running, next);
  const alarms = await applyAlarms(targets, running, next, changed);
  const slurpers = await applySlurpers(targets, running, next, changed);
  const handled = new Set([...alarms.handled, ...slurpers.handled]);
  return {
    applied: [...alarms.applied, ...slurpers.applied],
    restartNeeded: [...changed.filter((k) => !handled.has(k)), ...alarms.restartNeeded, ...slurpers.restartNeeded],
  };
}

/** What applying one part did: its applied entries, the live keys it could not apply (with why), and the changed keys it took care of either way. */
interface PartApplied extends Applied {
  readonly handled: readonly string[];
}

async function applyAlarms(targets: ReloadTargets, running: ServerConfig, next: ServerConfig, changed: readonly string[]): Promise<PartApplied> {
  const live = LIVE_ALARM_KEYS.map((k) => `alarms.${k}`).filter((k) => changed.includes(k));
  if (live.length === 0) return { applied: [], restartNeeded: [], handled: [] };
  try {
    // Against the running notify settings: a changed notify section is not applied.
    checkRecipients(next.alarms.recipients, running.notify);
    // Nor are changed reports: the running ones must still find every recipient they name.
    const names = new Set(next.alarms.recipients.map((r) => r.name));
    const lost = [...new Set(running.reports.flatMap((r) => r.notify))].filter((n) => !names.has(n));
    if (lost.length > 0) throw new Error(`the running reports still send to ${lost.map((n) => `'${n}'`).join(', ')}`);
    // Nor is a changed nodes section: the running node-down alarm must still find its recipients.
    const lostByNodes = running.nodes.notify.filter((n) => !names.has(n));
    if (lostByNodes.length > 0) throw new Error(`the running node-down alarm still sends to ${lostByNodes.map((n) => `'${n}'`).join(', ')}`);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { applied: [], restartNeeded: live.map((k) => `${k} (${why})`), handled: live };
  }
  // Recipients and rules switch at one moment: a rule never names a recipient the notifier does not know.
  if (await targets.alarms.replaceRules(next.alarms, () => targets.notifier.setRecipients(next.alarms.recipients, running.notify))) return { applied: live, restartNeeded: [], handled: live };
  return { applied: [], restartNeeded: live.map((k) => `${k} (the alarm database is behind; reload again once it catches up)`), handled: live };
}

async function applySlurpers(targets: ReloadTargets, running: ServerConfig, next: ServerConfig, changed: readonly string[]): Promise<PartApplied> {
  const live = LIVE_SLURPER_KEYS.map((k) => `slurpers.${k}`).filter((k) => changed.includes(k));
  if (live.length === 0 || targets.slurpers === undefined) return { applied: [], restartNeeded: [], handled: [] };
  try {
    // The running data folder: a changed dataDir waits for a restart.
    const changes = await targets.slurpers.apply({ dataDir: running.dataDir, slurpers: next.slurpers });
    return { applied: live.map((k) => (k === 'slurpers.instances' ? `${k} (${describeChanges(changes)})` : k)), restartNeeded: [], handled: live };
  } catch (e) {
    // Checked before anything changed (ServerSlurpers.apply): the running instances are as they were.
    const why = e instanceof Error ? e.message : String(e);
    return { applied: [], restartNeeded: live.map((k) => `${k} (${why})`), handled: live };
  }
}
