/**
 * A log's format: how its segments are named, what their header says, and
 * how records are framed. The journal and the agent spool are two formats
 * on the one segment log; each keeps its own magic, versions and framing,
 * so files written before they shared this code still read.
 */
import type { FrameFormat } from './record-frame.js';
import type { HeaderFormat } from './segment-header.js';
import type { SegmentNaming } from './segment-name.js';

export interface LogFormat {
  readonly naming: SegmentNaming;
  readonly header: HeaderFormat;
  readonly frame: FrameFormat;
}
