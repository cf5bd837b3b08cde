/**
 * Times on the downtime command line: what the API accepts (ISO 8601, Unix
 * seconds; server/downtimes/time-input.ts) and, resolved here, `now` and
 * times relative to a base:
 *
 *   now                      the current time
 *   +2h, -30m, now+1d        relative to now (for --to: a bare +2h is relative to --from)
 *
 * Offsets are those of cli/time-spec.ts (s m h d w mon y, chained: +1h30m).
 */
import { parseInstant } from '../../server/downtimes/index.js';
import { UsageError } from '../errors.js';
import { applyOffsets, parseTimeSpec } from '../time-spec.js';

const ISO_OR_UNIX = /^(\d+|\d{4}-\d{2}-\d{2}.*)$/;

/**
 * Unix seconds for `text`. A bare offset (`+2h`) is taken from `base`
 * (now, or --from for --to); `now±offset` from now. Times without an offset
 * are read in `zone`. Throws UsageError naming `what`.
 */
export function parseCliTime(text: string, what: string, now: number, base: number = now, zone = 'UTC'): number {
  const trimmed = text.trim();
  if (ISO_OR_UNIX.test(trimmed)) {
    const t = parseInstant(trimmed, zone);
    if (typeof t === 'string') throw new UsageError(`${what}: ${t}`);
    return t;
  }
  const spec = parseTimeSpec(trimmed, what);
  if (typeof spec.base === 'object' || spec.base === 'start' || spec.base === 'end') {
    throw new UsageError(`${what}: '${text}' is not a time: use ISO 8601, Unix seconds, now, or an offset such as +2h`);
  }
  const relativeToBase = /^[+-]/.test(trimmed);
  return applyOffsets(spec, Math.floor(relativeToBase ? base : now));
}
