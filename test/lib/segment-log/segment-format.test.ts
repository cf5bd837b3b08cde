/**
 * The segment log's codecs on their own: names, the header with and
 * without a float cookie (byte for byte against its layout), record framing,
 * and which damage a scan calls a torn tail.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeFrameHeader, frameHeaderSize, readFrame, type FrameFormat } from '../../../lib/segment-log/record-frame.js';
import { encodeSegmentHeader, FLOAT_COOKIE, headerSize, segmentHeaderProblem, type HeaderFormat } from '../../../lib/segment-log/segment-header.js';
import { parseSegmentFileName, segmentFileName } from '../../../lib/segment-log/segment-name.js';
import { scanSegment } from '../../../lib/segment-log/segment-scan.js';
import { checkRecord, recordOf, TEST_FORMAT } from './test-log.js';

const plain: HeaderFormat = { magic: 'ABCD', version: 3, oldestReadable: 1, floatCookie: false, label: 'abcd segment', versionName: 'abcd', reader: 'reader' };
const cookie: HeaderFormat = { ...plain, oldestReadable: undefined, floatCookie: true };

describe('segment names', () => {
  const naming = { prefix: 'seg-', extension: '.x' };
  it('pads the seq to 16 digits and reads it back; any other name is not a segment', () => {
    expect(segmentFileName(naming, 42)).toBe('seg-0000000000000042.x');
    expect(parseSegmentFileName(naming, segmentFileName(naming, 9_007_199_254_740))).toBe(9_007_199_254_740);
    for (const name of ['seg-42.x', 'seg-000000000000004x.x', 'seg-0000000000000042.y', 'other-0000000000000042.x', 'seg-0000000000000042.x.tmp']) {
      expect(parseSegmentFileName(naming, name)).toBeUndefined();
    }
  });
});

describe('segment header', () => {
  it('lays out magic, version, seq, reserved and checksum in 24 bytes without a float cookie', () => {
    const bytes = encodeSegmentHeader(plain, 77);
    expect(bytes.length).toBe(24);
    expect(bytes.toString('latin1', 0, 4)).toBe('ABCD');
    expect([bytes.readUInt32LE(4), bytes.readDoubleLE(8), bytes.readUInt32LE(16)]).toEqual([3, 77, 0]);
    expect(bytes.readUInt32LE(20)).toBe(crc32(bytes.subarray(0, 20)));
    expect(segmentHeaderProblem(plain, bytes, 77)).toBeUndefined();
  });

  it('puts the float cookie at byte 8 and the seq at 16 in 32 bytes with one', () => {
    const bytes = encodeSegmentHeader(cookie, 5);
    expect(headerSize(cookie)).toBe(32);
    expect([bytes.readUInt32LE(4), bytes.readDoubleLE(8), bytes.readDoubleLE(16), bytes.readUInt32LE(24)]).toEqual([3, FLOAT_COOKIE, 5, 0]);
    expect(bytes.readUInt32LE(28)).toBe(crc32(bytes.subarray(0, 28)));
  });

  it('reads the versions from oldestReadable to version, and names them when refusing another', () => {
    const old = encodeSegmentHeader({ ...plain, version: 1 }, 1);
    expect(segmentHeaderProblem(plain, old, 1)).toBeUndefined();
    expect(segmentHeaderProblem(plain, encodeSegmentHeader({ ...plain, version: 4 }, 1), 1)).toBe('abcd format version 4, this reader reads 1 to 3');
    expect(segmentHeaderProblem(cookie, encodeSegmentHeader({ ...cookie, version: 2 }, 1), 1)).toBe('abcd format version 2, this reader reads 3');
  });

  it('names what is wrong with a damaged or foreign header', () => {
    const good = encodeSegmentHeader(cookie, 9);
    expect(segmentHeaderProblem(cookie, good.subarray(0, 31), 9)).toMatch(/31 bytes, shorter than a abcd segment header/);
    expect(segmentHeaderProblem(cookie, Buffer.concat([Buffer.from('WXYZ'), good.subarray(4)]), 9)).toBe('not a abcd segment (bad magic)');
    const flipped = Buffer.from(good);
    flipped[18] ^= 1;
    expect(segmentHeaderProblem(cookie, flipped, 9)).toBe('segment header fails its checksum');
    expect(segmentHeaderProblem(cookie, good, 10)).toBe('header says the segment starts at seq 9, the file name says 10');
    const swapped = Buffer.from(good);
    swapped.writeDoubleBE(FLOAT_COOKIE, 8);
    swapped.writeUInt32LE(crc32(swapped.subarray(0, 28)), 28);
    expect(segmentHeaderProblem(cookie, swapped, 9)).toMatch(/float cookie/);
  });
});

describe('record framing', () => {
  const withMeta: FrameFormat = { metaBytes: 4, headerCrc: true };
  const bare: FrameFormat = { metaBytes: 0, headerCrc: false, minLength: 1, maxLength: 100 };

  it('frames a payload given in parts as one record, meta and checksums in place', () => {
    const parts = [Buffer.from('hello '), Buffer.from('world')];
    const header = encodeFrameHeader(withMeta, parts, (h) => h.writeUInt32LE(0xbeef, 4));
    expect(header.length).toBe(frameHeaderSize(withMeta));
    const bytes = Buffer.concat([Buffer.from('xx'), header, ...parts]);
    expect(readFrame(withMeta, bytes, 2)).toEqual({ kind: 'frame', payloadStart: 2 + 16, end: bytes.length });
    expect(bytes.readUInt32LE(2 + 4)).toBe(0xbeef);
    expect(bytes.readUInt32LE(2 + 8)).toBe(crc32(Buffer.from('hello world')));
  });

  it('tells a record cut short from a damaged one', () => {
    const record = encodeFrame(bare, Buffer.from('payload'));
    expect(readFrame(bare, record.subarray(0, 5), 0)).toEqual({ kind: 'cut', needed: 8 });
    expect(readFrame(bare, record.subarray(0, 10), 0)).toEqual({ kind: 'cut', needed: 15 });
    const damaged = Buffer.from(record);
    damaged[12] ^= 1;
    expect(readFrame(bare, damaged, 0)).toEqual({ kind: 'bad', detail: 'record payload fails its checksum', end: 15 });
    expect(readFrame(bare, Buffer.alloc(16), 0)).toEqual({ kind: 'bad', detail: 'record length 0 is out of range' });
    const long = encodeFrame({ ...bare, maxLength: undefined }, Buffer.alloc(101));
    expect(readFrame(bare, long, 0)).toEqual({ kind: 'bad', detail: 'record length 101 is out of range' });
  });

  it('never trusts a length whose header fails its own checksum', () => {
    const record = encodeFrame(withMeta, Buffer.from('abc'));
    record[0] ^= 0x40;
    expect(readFrame(withMeta, record, 0)).toEqual({ kind: 'bad', detail: 'record header fails its checksum' });
  });
});

describe('segment scan', () => {
  const segment = (...parts: Buffer[]): Buffer => Buffer.concat([encodeSegmentHeader(TEST_FORMAT.header, 1), ...parts]);
  const scan = (bytes: Buffer) => scanSegment(TEST_FORMAT, bytes, 1, checkRecord);
  const whole = segment(recordOf(1), recordOf(2), recordOf(3));
  const third = whole.length - recordOf(3).length;

  it('counts whole records and their last seq', () => {
    expect(scan(whole)).toEqual({ validBytes: whole.length, lastSeq: 3, records: 3 });
    expect(scan(segment())).toEqual({ validBytes: 32, lastSeq: 0, records: 0 });
  });

  it.each([
    ['a record cut off by the end of the file', whole.subarray(0, whole.length - 1)],
    ['zero bytes after the last record', Buffer.concat([whole.subarray(0, third), Buffer.alloc(500)])],
    ['a last record failing its payload checksum', Buffer.concat([whole.subarray(0, whole.length - 1), Buffer.from([whole.at(-1)! ^ 1])])],
  ])('calls %s a torn tail', (_what, bytes) => {
    expect(scan(bytes)).toMatchObject({ validBytes: third, lastSeq: 2, damage: { offset: third, torn: true } });
  });

  it('does not call damage before the last record, a bad header checksum, or a record the format refuses torn', () => {
    const early = Buffer.from(whole);
    early[32 + 30] ^= 1;
    expect(scan(early)).toMatchObject({ validBytes: 32, damage: { offset: 32, torn: false } });
    const header = Buffer.from(whole);
    header[third + 1] ^= 1;
    expect(scan(header)).toMatchObject({ validBytes: third, damage: { offset: third, detail: 'record header fails its checksum', torn: false } });
    const repeated = segment(recordOf(1), recordOf(2), recordOf(2));
    expect(scan(repeated)).toMatchObject({ validBytes: third, damage: { detail: 'seq 2 does not follow 2', torn: false } });
  });

  it('calls a short or all-zero header torn, and any other bad header not', () => {
    expect(scan(whole.subarray(0, 10)).damage).toMatchObject({ offset: 0, torn: true });
    expect(scan(Buffer.alloc(64)).damage).toMatchObject({ offset: 0, torn: true });
    expect(scan(Buffer.concat([Buffer.from('JUNK'), whole.subarray(4)])).damage).toEqual({ offset: 0, detail: 'not a test log segment (bad magic)', torn: false });
  });
});
