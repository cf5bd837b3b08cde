/** The data directory as a whole: one server at a time (its lock), and a failed start leaving it as it was. */
export { DataDirLockedError, LOCK_FILE, lockDataDir, type DataDirLock } from './lock.js';
export { claimDataDir, type StartClaim } from './start-claim.js';
