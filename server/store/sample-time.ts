/**
 * Sample times as the archive engine compares them: whole seconds, then
 * microseconds truncated (rrdtool's split). Two times in the same
 * microsecond are the same time to an archive, so they are to the store.
 */
import { microsecondKey } from '../../archive/index.js';

/** The two fields of an archive's state (ArchiveFile.state) that hold its last update. */
interface LastUpdate {
  readonly lastUpdate: number;
  readonly lastUpdateUsec: number;
}

/** A time as one integer of microseconds, exact for any time before the year 2255: the archive's own split. */
export const timeKey: (time: number) => number = microsecondKey;

/** The key of an archive's last update. */
export function lastUpdateKey(state: LastUpdate): number {
  return state.lastUpdate * 1e6 + state.lastUpdateUsec;
}

/** An archive's last update as seconds, for messages and listings. */
export function lastUpdateTime(state: LastUpdate): number {
  return state.lastUpdate + state.lastUpdateUsec / 1e6;
}

/** The value an archive's last-DS text stands for: null for UNKNOWN ("U"). */
export function lastDsValue(text: string | undefined): number | null {
  if (text === undefined || text === 'U' || text === '') return null;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}
