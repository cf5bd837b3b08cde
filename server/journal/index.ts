/**
 * The server's sample journal: samples are acknowledged once they are
 * durable here, applied to their archives later in large batches, and
 * replayed at start. This is the whole public surface.
 */
export { SampleJournal, type JournalOptions } from './journal.js';
export type { JournaledSample } from './batch-codec.js';
export { CorruptJournalError, JournalClosedError, JournalError, JournalFullError } from './errors.js';
export { nodeJournalIo, type JournalIo } from './io.js';
