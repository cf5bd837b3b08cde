/**
 * The segment log's errors. Its owners (the journal, the spool) branch on
 * the class and turn these into their own; the system's error, when there
 * is one, is the `cause`.
 */
export class LogError extends Error {
  override name = 'LogError';
}

/** Bytes of a segment that do not decode and are not a torn tail. */
export class CorruptLogError extends LogError {
  override name = 'CorruptLogError';
  constructor(
    readonly path: string,
    /** Byte offset of the damaged header or record in `path`. */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${path}: corrupt at byte ${offset}: ${detail}`);
  }
}

/**
 * No room: the disk (or quota) is full, or under the 'refuse' policy the
 * log would pass its bound. Nothing of the write stays; the log stays usable.
 */
export class LogFullError extends LogError {
  override name = 'LogFullError';
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, options);
  }
}

/** A write after close(), or after a failure that left the log unusable until it is opened again. */
export class LogClosedError extends LogError {
  override name = 'LogClosedError';
}
