/**
 * The segment log: the one write-ahead log of ringmon, on which the server's
 * sample journal and the agent's spool are two record formats. A log is a
 * folder of segment files (segment-name.ts) that each begin with a header
 * (segment-header.ts) and hold framed, checksummed records
 * (record-frame.ts); recover.ts checks them at open and cuts a torn tail,
 * segment-log.ts appends groups of records with one write and one fdatasync
 * (callers group them with group-commit.ts) and applies the full-log
 * policy; segment-reader.ts reads records on from a position. This is the
 * whole public surface.
 */
export { CorruptLogError, LogClosedError, LogError, LogFullError } from './errors.js';
export { GroupCommit, type CommitFunction } from './group-commit.js';
export type { LogFormat } from './log-format.js';
export { encodeFrame, encodeFrameHeader, frameHeaderSize, readFrame, type FrameFormat, type FrameRead } from './record-frame.js';
export { recoverSegments, type RecoveredSegments, type RecoverOptions } from './recover.js';
export { readSegmentBytes, type Segment } from './segment-files.js';
export { readRecords, type ReadPlan, type TakenRecord } from './segment-reader.js';
export { encodeSegmentHeader, FLOAT_COOKIE, headerSize, segmentHeaderProblem, type HeaderFormat } from './segment-header.js';
export { SegmentLog, type FullPolicy, type SegmentLogOptions } from './segment-log.js';
export { listSegments, parseSegmentFileName, segmentFileName, type SegmentNaming } from './segment-name.js';
export { scanSegment, type RecordCheck, type RecordPlace, type ScanDamage, type SegmentScan } from './segment-scan.js';
