/**
 * The file operations of the journal's write path. They live in the bottom
 * layer (lib/durable-file.ts); the journal's names are kept here until the
 * journal imports lib directly.
 */
import type { FileIo } from '../../lib/durable-file.js';

export { isDiskFull, nodeFileIo as nodeJournalIo } from '../../lib/durable-file.js';

/** Positional writes and data syncs on an open file descriptor: lib's FileIo (see there for the contract). */
export type JournalIo = FileIo;
