/**
 * The archive engine's errors. Every error thrown by `archive/` is an
 * `ArchiveError`; callers branch on the subclass, never on the message.
 */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** A data source, RRA or archive definition that cannot be stored. */
export class InvalidDefinitionError extends ArchiveError {
  override name = 'InvalidDefinitionError';
}

/** An update whose values cannot be interpreted for its data source type. */
export class InvalidUpdateError extends ArchiveError {
  override name = 'InvalidUpdateError';
}

/** An update whose time is not after the archive's last update. */
export class StaleUpdateError extends InvalidUpdateError {
  override name = 'StaleUpdateError';
  constructor(
    message: string,
    readonly time: number,
    readonly lastUpdate: number,
  ) {
    super(message);
  }
}

/** A file that is not a ringmon archive, or one whose bytes do not decode. */
export class CorruptArchiveError extends ArchiveError {
  override name = 'CorruptArchiveError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: not a readable ringmon archive: ${detail}`);
  }
}

/** A fetch or dump argument that makes no sense for this archive. */
export class InvalidQueryError extends ArchiveError {
  override name = 'InvalidQueryError';
}

/** An rrdtool dump that cannot be restored: malformed XML, a missing or unexpected element, a bad number. */
export class RestoreError extends ArchiveError {
  override name = 'RestoreError';
  constructor(
    readonly source: string,
    /** One-based line of the dump where the problem was found; undefined when it is not tied to a line. */
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${source}${line === undefined ? '' : `:${line}`}: ${detail}`);
  }
}
