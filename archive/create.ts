/**
 * Creating an archive: rrdtool create's semantics (initial UNKNOWN PDP and
 * CDPs before `start`, rows all UNKNOWN), written atomically, mode 0600
 * (owner-only, whatever the umask; ArchiveFile.write says why).
 */
import { randomInt } from 'node:crypto';
import { ArchiveFile } from './archive-file.js';
import { validateDefinition, type ArchiveDefinition } from './definition.js';
import { InvalidDefinitionError } from './errors.js';
import { initialState } from './state.js';

export interface CreateOptions {
  /** Time of the (virtual) last update, Unix seconds. rrdtool's --start; default: now - 10 s. */
  readonly start?: number;
  /** Replace an existing file. rrdtool overwrites by default; ringmon does not. */
  readonly overwrite?: boolean;
  /** The clock, for callers that pass time in. */
  readonly now?: number;
  /**
   * Picks each RRA's initial row. rrdtool picks at random to spread disk
   * writes of many archives; the default does too. Rows' times do not depend on it.
   */
  readonly initialRow?: (rows: number) => number;
  /**
   * Make the new file and its name durable before returning (fdatasync, then
   * fsync of the directory); default true. A caller that keeps the data
   * elsewhere until it syncs the whole file system (the server's journal)
   * passes false: creating many archives is then not one disk flush each.
   */
  readonly sync?: boolean;
}

/** rrdtool refuses start times before 1980. */
export const EARLIEST_START = 3600 * 24 * 365 * 10;

export function createArchive(path: string, definition: ArchiveDefinition, options: CreateOptions = {}): void {
  validateDefinition(definition);
  const now = options.now ?? Date.now() / 1000;
  const start = options.start ?? Math.floor(now) - 10;
  if (!Number.isInteger(start)) throw new InvalidDefinitionError(`start: must be whole seconds, got ${start}`);
  if (start < EARLIEST_START) throw new InvalidDefinitionError(`start: ${start} is before 1980; the first entry must be after 1980`);
  const state = initialState(definition, start, options.initialRow ?? ((rows) => randomInt(rows)));
  ArchiveFile.write(path, definition, state, [], { overwrite: options.overwrite, sync: options.sync });
}
