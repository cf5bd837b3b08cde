/** Times as reports show them: ISO UTC for the record; durations for people are lib/duration.ts formatElapsed, as notices show them. */
import { formatInstant } from '../downtimes/time-input.js';

/** `2026-11-24T00:30:00Z`: whole seconds, as alarm times are. */
export function isoUtc(seconds: number): string {
  return formatInstant(Math.floor(seconds));
}
