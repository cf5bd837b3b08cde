/**
 * The downtime database's errors. Each names what is at fault; the HTTP
 * routes map them to the API's error catalogue (400, 404, 409).
 */

/** One thing wrong with a downtime, by field path as the API spells it: `end`, `scope/series/0`. */
export interface DowntimeProblem {
  readonly field: string;
  readonly message: string;
}

export class DowntimeError extends Error {
  override name = 'DowntimeError';
}

/** The downtime as described cannot be stored; `problems` lists every field at fault. Nothing was stored. */
export class InvalidDowntimeError extends DowntimeError {
  override name = 'InvalidDowntimeError';
  constructor(readonly problems: readonly DowntimeProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/**
 * Filing (or reviving) the downtime would go beyond `setting`, a count limit
 * of the `downtimes` section. Nothing was stored.
 */
export class DowntimeLimitError extends DowntimeError {
  override name = 'DowntimeLimitError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/** No downtime has this id. */
export class UnknownDowntimeError extends DowntimeError {
  override name = 'UnknownDowntimeError';
  constructor(readonly id: number) {
    super(`no downtime ${id}`);
  }
}

/** The change does not fit the downtime's state: changing a cancelled one, ending one that is over. */
export class DowntimeConflictError extends DowntimeError {
  override name = 'DowntimeConflictError';
}

/** The database's schema could not be brought up to date; the server must not start. */
export class DowntimeMigrationError extends DowntimeError {
  override name = 'DowntimeMigrationError';
}
