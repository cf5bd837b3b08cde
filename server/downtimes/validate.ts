/**
 * The rules a downtime must keep before it is stored. Every problem is
 * found at once and reported by field, so a client fixes them in one go;
 * nothing is stored while any remains.
 */
import { formatDuration } from '../../lib/duration.js';
import { checkSeriesGlob } from '../config-schema/index.js';
import { InvalidDowntimeError, type DowntimeProblem } from './errors.js';
import { DOWNTIME_KINDS, type DowntimeDraft } from './model.js';
import { Recurrence } from './recurrence.js';
import { LATEST_INSTANT } from './time-input.js';
import { isTimeZone } from './time-zone.js';

const AGENT_NAME_RULE = '1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit';
/** Agent names, as heartbeats and downtime scopes give them (a JSON schema `pattern`). */
export const AGENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
const AGENT_NAME = new RegExp(AGENT_NAME_PATTERN);
export const MAX_REASON_LENGTH = 2000;

/**
 * The limits of the `downtimes` section (config-section.ts), in seconds and
 * counts; those left out take the section's defaults.
 */
export interface DowntimeLimits {
  /** Longest window, in seconds (`downtimes.maxWindow`). */
  readonly maxWindowSeconds: number;
  /** Most downtimes filed and not over, from everyone (`downtimes.maxFiled`). */
  readonly maxFiled?: number;
  /** The same, per author (`downtimes.maxFiledPerAuthor`). */
  readonly maxFiledPerAuthor?: number;
  /** Widest range one listing may ask for (`downtimes.maxListRange`). */
  readonly maxListRangeSeconds?: number;
  /** Most windows one listing may expand (`downtimes.maxListedWindows`). */
  readonly maxListedWindows?: number;
}

/** A draft that keeps the rules, and its compiled rule when it recurs. */
export interface ValidDowntime {
  readonly draft: DowntimeDraft;
  readonly recurrence: Recurrence | null;
}

function scopeProblems(draft: DowntimeDraft, problems: DowntimeProblem[]): void {
  const { series, agents } = draft.scope;
  if (series.length === 0 && agents.length === 0) {
    problems.push({ field: 'scope', message: 'must name at least one series pattern or agent' });
  }
  series.forEach((glob, i) => {
    const problem = checkSeriesGlob(glob);
    if (problem !== undefined) problems.push({ field: `scope/series/${i}`, message: problem });
  });
  agents.forEach((agent, i) => {
    if (!AGENT_NAME.test(agent)) problems.push({ field: `scope/agents/${i}`, message: `'${agent}' is not an agent name (${AGENT_NAME_RULE})` });
  });
}

function windowProblems(draft: DowntimeDraft, limits: DowntimeLimits, problems: DowntimeProblem[]): void {
  const { start, end } = draft;
  // The API reads times with parseInstant, which keeps this range; other callers get the same answer.
  const outOfRange = (t: number): boolean => !Number.isInteger(t) || t < 0 || t > LATEST_INSTANT;
  if (outOfRange(start)) problems.push({ field: 'start', message: `${start} is out of range: times are Unix seconds from 0 to ${LATEST_INSTANT} (1970 to 2199)` });
  if (end !== null && outOfRange(end)) problems.push({ field: 'end', message: `${end} is out of range: times are Unix seconds from 0 to ${LATEST_INSTANT} (1970 to 2199)` });
  if (end === null) {
    if (draft.kind === 'planned') problems.push({ field: 'end', message: 'a planned downtime needs an end; only an unplanned one may stay open' });
    return;
  }
  if (end <= start) {
    problems.push({ field: 'end', message: `must be after start (end ${end} ≤ start ${start})` });
  } else if (end - start > limits.maxWindowSeconds) {
    problems.push({
      field: 'end',
      message: `the window is ${formatDuration(end - start)} long; the longest allowed is ${formatDuration(limits.maxWindowSeconds)} (downtimes.maxWindow)`,
    });
  }
}

/**
 * Checks `draft` and returns it with its scope's duplicates removed, its
 * reason trimmed and its rule compiled. Throws InvalidDowntimeError listing
 * every problem, by field.
 */
export function validateDowntime(input: DowntimeDraft, limits: DowntimeLimits): ValidDowntime {
  const draft: DowntimeDraft = {
    ...input,
    scope: { series: [...new Set(input.scope.series)], agents: [...new Set(input.scope.agents)] },
    reason: input.reason.trim(),
    rrule: input.rrule === null ? null : input.rrule.trim().replace(/^RRULE:/i, ''),
  };
  const problems: DowntimeProblem[] = [];
  if (!DOWNTIME_KINDS.includes(draft.kind)) problems.push({ field: 'kind', message: `must be one of ${DOWNTIME_KINDS.join(', ')}` });
  scopeProblems(draft, problems);
  windowProblems(draft, limits, problems);
  const zoneOk = isTimeZone(draft.timezone);
  if (!zoneOk) problems.push({ field: 'timezone', message: `'${draft.timezone}' is not an IANA time zone such as UTC or Europe/Berlin` });
  if (draft.reason === '') problems.push({ field: 'reason', message: 'must not be empty: say why' });
  if (draft.reason.length > MAX_REASON_LENGTH) problems.push({ field: 'reason', message: `is ${draft.reason.length} characters long; the limit is ${MAX_REASON_LENGTH}` });
  let recurrence: Recurrence | null = null;
  if (draft.rrule !== null) {
    if (draft.kind !== 'planned') problems.push({ field: 'rrule', message: 'only planned downtimes recur' });
    else if (draft.end !== null && draft.end > draft.start && zoneOk) {
      const compiled = Recurrence.compile(draft.rrule, draft.timezone, draft.start, draft.end);
      if (Array.isArray(compiled)) problems.push(...compiled);
      else recurrence = compiled;
    }
  }
  if (problems.length > 0) throw new InvalidDowntimeError(problems);
  return { draft, recurrence };
}
