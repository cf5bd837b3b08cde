/**
 * A scripted alarm history: transitions written with the server's own
 * AlarmStore into a database file (a data directory's ringmon.sqlite before
 * its server starts, or a file of its own), as if recorded at their times.
 * Each is noticed already, with no value, threshold, downtime or
 * inhibition unless given.
 */
import { AlarmStore } from '../../server/alarms/alarm-store.js';
import type { AlarmStatus } from '../../server/alarms/index.js';

export interface ScriptedTransition {
  readonly series: string;
  readonly rule: string;
  readonly from: AlarmStatus;
  readonly to: AlarmStatus;
  /** Unix seconds. */
  readonly at: number;
  readonly value?: number | null;
}

/** Writes `transitions` to the alarm tables of the database `file` (made and migrated if new). */
export async function writeAlarmHistory(file: string, transitions: readonly ScriptedTransition[]): Promise<void> {
  const store = await AlarmStore.open(file);
  try {
    await store.commit(
      transitions.map((t) => ({ value: null, threshold: null, downtime: null, suppressed: false, inhibitedBy: null, noticed: true, ...t })),
      [],
    );
  } finally {
    await store.close();
  }
}
