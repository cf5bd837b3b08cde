/**
 * Which alarm status is worse, for the worst state of a period: OK, then
 * WARNING, then NODATA (nothing known: maybe fine, maybe down), then
 * CRITICAL, as Icinga ranks UNKNOWN between WARNING and CRITICAL.
 */
import type { AlarmStatus } from '../alarms/model.js';

const RANK: Readonly<Record<AlarmStatus, number>> = { OK: 0, WARNING: 1, NODATA: 2, CRITICAL: 3 };

export function worseOf(a: AlarmStatus, b: AlarmStatus): AlarmStatus {
  return RANK[b] > RANK[a] ? b : a;
}
