/**
 * The journal's errors. Everything the journal throws or rejects with is a
 * `JournalError` (or an error thrown by the caller's own replay callback);
 * callers branch on the subclass, never on the message.
 */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** A segment or checkpoint file whose bytes do not decode: damage that is not a torn tail. */
export class CorruptJournalError extends JournalError {
  override name = 'CorruptJournalError';
  constructor(
    readonly path: string,
    /** Byte offset of the damaged record or header in `path`. */
    readonly offset: number,
    detail: string,
  ) {
    super(`${path}: corrupt journal at byte ${offset}: ${detail}`);
  }
}

/**
 * The disk (or quota) was full: the batches of that group were not written
 * and their appends reject with this error. The journal stays usable; later
 * appends succeed once there is room.
 */
export class JournalFullError extends JournalError {
  override name = 'JournalFullError';
  constructor(
    readonly path: string,
    options: ErrorOptions,
  ) {
    super(`${path}: no space left for the journal; the batches were not accepted`, options);
  }
}

/** An append after close() began, or after a write failure that left the journal unusable until reopened. */
export class JournalClosedError extends JournalError {
  override name = 'JournalClosedError';
}

/** `error` as a JournalError: itself if it is one, else wrapped with `what` failed (the system's error as its cause). */
export function asJournalError(error: unknown, what: string): JournalError {
  if (error instanceof JournalError) return error;
  return new JournalError(`${what}: ${(error as Error).message}`, { cause: error });
}
