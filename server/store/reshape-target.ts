/**
 * What a reshape in the server asks for (POST /api/v1/admin/reshape, and the
 * opt-in adaptation to a series' cadence), checked before anything changes,
 * and the new definition it gives each series' archive:
 *
 *   step (+ heartbeat)         the built-in template at that step (default-template.ts),
 *                              heartbeat the template's (3 × step, at least 30 s)
 *   step + rras (+ heartbeat)  those rrdtool RRA strings, read against the step (parseRra);
 *                              heartbeat kept, or scaled with the step (reshapedDefinition)
 *
 * The data sources keep their names, types, min and max (a reshape keeps
 * them). A request over a bound is an InvalidReshapeError naming the field.
 */
import { InvalidDefinitionError, parseRra, reshapedDefinition, rrdtoolFileSize, type ArchiveDefinition, type RraDefinition } from '../../archive/index.js';
import { checkSeriesGlob } from '../config-schema/index.js';
import { SERIES_DS_NAME } from './archive-rules.js';
import { defaultHeartbeat, templateDefinition } from './default-template.js';
import { STEP_LADDER } from './step-ladder.js';

/** Most series one call may reshape; a pattern matching more is refused, and nothing changes. */
export const MAX_RESHAPE_SERIES = 10_000;
/** Most RRAs a reshape may give an archive. */
export const MAX_RESHAPE_RRAS = 20;
/** Largest archive a reshape may write (64 MiB), computed before anything is written. */
export const MAX_RESHAPE_BYTES = 64 * 2 ** 20;
/** The longest pattern, as GET /api/v1/series takes. */
export const MAX_MATCH_LENGTH = 1024;
/** Steps a reshape may give: those of the ladder's range, whole seconds. */
export const RESHAPE_STEP_RANGE = { minimum: STEP_LADDER[0], maximum: STEP_LADDER[STEP_LADDER.length - 1] } as const;
/** Heartbeats: at least a step; at most the template's own for the longest step. */
export const RESHAPE_HEARTBEAT_RANGE = { minimum: STEP_LADDER[0], maximum: defaultHeartbeat(RESHAPE_STEP_RANGE.maximum) } as const;

export interface ReshapeRequest {
  /** One series by name; or */
  readonly series?: string;
  /** every series matching this pattern (config-schema/series-glob.ts). Exactly one of the two. */
  readonly match?: string;
  /** The new step, seconds. */
  readonly step: number;
  /** Every data source's new heartbeat, seconds; default: see the header. */
  readonly heartbeat?: number;
  /** rrdtool RRA strings (RRA:CF:xff:steps:rows); without them, the built-in template at `step`. */
  readonly rras?: readonly string[];
  /** Work out and report what would change; write nothing. */
  readonly dryRun?: boolean;
}

/** A request over a bound, or contradicting itself: `field` is the request's key (`rras/2` for one RRA). */
export class InvalidReshapeError extends Error {
  constructor(
    readonly field: string,
    /** What is wrong with it, without the field's name. */
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidReshapeError';
  }
}

/** A series archive's new definition from its old one, or why it is left as it is. */
export type ReshapeTarget = (old: ArchiveDefinition) => ArchiveDefinition | { readonly skip: string };

function inRange(value: number, range: { minimum: number; maximum: number }): boolean {
  return Number.isInteger(value) && value >= range.minimum && value <= range.maximum;
}

/**
 * Checks `request` (every bound but the number of series, which the store
 * counts) and gives the target definition. Throws InvalidReshapeError.
 */
export function reshapeTarget(request: ReshapeRequest): ReshapeTarget {
  const { series, match, step, heartbeat, rras } = request;
  if ((series === undefined) === (match === undefined)) throw new InvalidReshapeError('series', 'give exactly one of series (a name) and match (a pattern)');
  if (match !== undefined) {
    if (match.length > MAX_MATCH_LENGTH) throw new InvalidReshapeError('match', `at most ${MAX_MATCH_LENGTH} characters, got ${match.length}`);
    const problem = checkSeriesGlob(match);
    if (problem !== undefined) throw new InvalidReshapeError('match', problem);
  }
  if (!inRange(step, RESHAPE_STEP_RANGE)) throw new InvalidReshapeError('step', `must be whole seconds from ${RESHAPE_STEP_RANGE.minimum} to ${RESHAPE_STEP_RANGE.maximum}, got ${step}`);
  if (heartbeat !== undefined) {
    if (!inRange(heartbeat, RESHAPE_HEARTBEAT_RANGE)) {
      throw new InvalidReshapeError('heartbeat', `must be whole seconds from ${RESHAPE_HEARTBEAT_RANGE.minimum} to ${RESHAPE_HEARTBEAT_RANGE.maximum}, got ${heartbeat}`);
    }
    // A heartbeat below the step makes every primary point UNKNOWN.
    if (heartbeat < step) throw new InvalidReshapeError('heartbeat', `${heartbeat} s is shorter than the step ${step} s: every point would be UNKNOWN`);
  }
  if (rras === undefined) return templateTarget(step, heartbeat);
  if (rras.length === 0 || rras.length > MAX_RESHAPE_RRAS) throw new InvalidReshapeError('rras', `give 1 to ${MAX_RESHAPE_RRAS} RRA strings, got ${rras.length}`);
  const parsed = rras.map((text, i) => {
    try {
      return parseRra(text, step);
    } catch (e) {
      if (e instanceof InvalidDefinitionError) throw new InvalidReshapeError(`rras/${i}`, e.message);
      throw e;
    }
  });
  // Series archives hold one data source; the bound is checked on that shape, before any series is touched.
  const bytes = rrdtoolFileSize({ step, dataSources: [{ name: SERIES_DS_NAME, type: 'GAUGE', heartbeat: heartbeat ?? step, min: NaN, max: NaN }], rras: parsed });
  if (bytes > MAX_RESHAPE_BYTES) throw new InvalidReshapeError('rras', `the archive would take ${bytes} bytes, more than ${MAX_RESHAPE_BYTES} (64 MiB); keep fewer rows`);
  return rrasTarget(step, parsed, heartbeat);
}

/** The built-in template at `step` (heartbeat `heartbeat`, else the template's), for an archive of any data sources. */
export function templateTarget(step: number, heartbeat?: number): ReshapeTarget {
  return (old) => {
    const type = old.dataSources[0].type;
    return reshapedDefinition(old, { step, rras: templateDefinition(step, type, SERIES_DS_NAME).rras, heartbeat: heartbeat ?? defaultHeartbeat(step) });
  };
}

function rrasTarget(step: number, rras: readonly RraDefinition[], heartbeat: number | undefined): ReshapeTarget {
  return (old) => reshapedDefinition(old, { step, rras, heartbeat });
}

/** Whether `def`'s RRAs are the built-in template's at its own step: an archive ringmon chose, not a rule or a reshape with RRAs of its own. */
export function isTemplateArchive(def: ArchiveDefinition): boolean {
  const template = templateDefinition(def.step, def.dataSources[0].type, SERIES_DS_NAME).rras;
  return sameRras(def.rras, template);
}

export function sameDefinition(a: ArchiveDefinition, b: ArchiveDefinition): boolean {
  return (
    a.step === b.step &&
    sameRras(a.rras, b.rras) &&
    a.dataSources.length === b.dataSources.length &&
    a.dataSources.every((ds, i) => {
      const other = b.dataSources[i];
      return ds.name === other.name && ds.type === other.type && ds.heartbeat === other.heartbeat && Object.is(ds.min, other.min) && Object.is(ds.max, other.max);
    })
  );
}

function sameRras(a: readonly RraDefinition[], b: readonly RraDefinition[]): boolean {
  return a.length === b.length && a.every((r, i) => r.cf === b[i].cf && r.xff === b[i].xff && r.pdpPerRow === b[i].pdpPerRow && r.rows === b[i].rows);
}
