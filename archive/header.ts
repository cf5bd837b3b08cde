/**
 * Encodes and decodes POS 1..3 of format.ts: the preamble and the
 * definition, which never change after create.
 */
import { crc32 } from 'node:zlib';
import {
  CONSOLIDATION_FUNCTIONS,
  DS_TYPES,
  validateDefinition,
  type ArchiveDefinition,
  type DataSourceDefinition,
  type RraDefinition,
} from './definition.js';
import { CorruptArchiveError, InvalidDefinitionError } from './errors.js';
import {
  DS_DEF_SIZE,
  DS_NAME_BYTES,
  FLOAT_COOKIE,
  FORMAT_VERSION,
  MAGIC,
  PREAMBLE_SIZE,
  RRA_DEF_SIZE,
  computeLayout,
  headerSize,
  type Layout,
} from './format.js';

export function encodeHeader(def: ArchiveDefinition, layout: Layout, buf: Buffer): void {
  buf.fill(0, 0, layout.headerSize);
  buf.write(MAGIC, 0, 4, 'latin1');
  buf.writeUInt32LE(FORMAT_VERSION, 4);
  buf.writeDoubleLE(FLOAT_COOKIE, 8);
  buf.writeUInt32LE(def.step, 16);
  buf.writeUInt16LE(layout.dsCount, 20);
  buf.writeUInt16LE(layout.rraCount, 22);
  buf.writeUInt32LE(layout.stateOffset, 24);
  buf.writeUInt32LE(layout.redoOffset, 28);
  buf.writeUInt32LE(layout.redoCapacity, 32);
  buf.writeUInt32LE(layout.dataOffset, 36);
  buf.writeDoubleLE(layout.fileSize, 40);
  let p = PREAMBLE_SIZE;
  for (const ds of def.dataSources) {
    buf.write(ds.name, p, DS_NAME_BYTES - 1, 'latin1');
    buf.writeUInt8(DS_TYPES.indexOf(ds.type), p + 20);
    buf.writeUInt32LE(ds.heartbeat, p + 24);
    buf.writeDoubleLE(ds.min, p + 32);
    buf.writeDoubleLE(ds.max, p + 40);
    p += DS_DEF_SIZE;
  }
  for (const rra of def.rras) {
    buf.writeUInt8(CONSOLIDATION_FUNCTIONS.indexOf(rra.cf), p);
    buf.writeUInt32LE(rra.pdpPerRow, p + 4);
    buf.writeUInt32LE(rra.rows, p + 8);
    buf.writeDoubleLE(rra.xff, p + 16);
    p += RRA_DEF_SIZE;
  }
  buf.writeUInt32LE(crc32(buf.subarray(0, p)), p);
}

/** How many bytes of the file's start must be read before decodeHeader can succeed. */
export function headerBytesNeeded(preamble: Buffer, path: string): number {
  checkPreamble(preamble, path);
  return preamble.readUInt32LE(36);
}

function checkPreamble(buf: Buffer, path: string): void {
  if (buf.length < PREAMBLE_SIZE) throw new CorruptArchiveError(path, `file is ${buf.length} bytes, shorter than the preamble`);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new CorruptArchiveError(path, 'no ringmon archive magic (RMAR)');
  const version = buf.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new CorruptArchiveError(path, `format version ${version} is not supported (this ringmon reads ${FORMAT_VERSION})`);
  }
  if (buf.readDoubleLE(8) !== FLOAT_COOKIE) throw new CorruptArchiveError(path, 'float cookie mismatch (foreign byte order?)');
}

/**
 * Decodes the definition and checks that the layout it implies is the one
 * recorded, so that a damaged header is reported instead of misread.
 * `head` holds at least the file's first `dataOffset` bytes.
 */
/**
 * Decoded headers by their bytes. A deployment has a handful of distinct
 * definitions over thousands of archives, and a server opens them all the
 * time; definitions and layouts are immutable, so sharing them is safe.
 */
const decodedHeaders = new Map<string, { definition: ArchiveDefinition; layout: Layout }>();
const DECODED_HEADERS_KEPT = 256;

export function decodeHeader(head: Buffer, path: string, actualFileSize: number): { definition: ArchiveDefinition; layout: Layout } {
  checkPreamble(head, path);
  const hSize = headerSize(head.readUInt16LE(20), head.readUInt16LE(22));
  if (head.length < hSize) throw new CorruptArchiveError(path, 'file ends inside its header');
  const key = head.toString('latin1', 0, hSize);
  let decoded = decodedHeaders.get(key);
  if (!decoded) {
    decoded = decodeDefinition(head, path);
    if (decodedHeaders.size >= DECODED_HEADERS_KEPT) decodedHeaders.clear();
    decodedHeaders.set(key, decoded);
  }
  if (actualFileSize !== decoded.layout.fileSize) {
    throw new CorruptArchiveError(path, `file is ${actualFileSize} bytes, its header says ${decoded.layout.fileSize}`);
  }
  return decoded;
}

function decodeDefinition(head: Buffer, path: string): { definition: ArchiveDefinition; layout: Layout } {
  const dsCount = head.readUInt16LE(20);
  const rraCount = head.readUInt16LE(22);
  const hSize = headerSize(dsCount, rraCount);
  if (head.length < hSize) throw new CorruptArchiveError(path, 'file ends inside its header');
  const crcAt = hSize - 8;
  if (crc32(head.subarray(0, crcAt)) !== head.readUInt32LE(crcAt)) {
    throw new CorruptArchiveError(path, 'header checksum mismatch');
  }
  const step = head.readUInt32LE(16);
  const dataSources: DataSourceDefinition[] = [];
  let p = PREAMBLE_SIZE;
  for (let d = 0; d < dsCount; d++) {
    const rawName = head.subarray(p, p + DS_NAME_BYTES);
    const end = rawName.indexOf(0);
    const type = DS_TYPES[head.readUInt8(p + 20)];
    if (type === undefined) throw new CorruptArchiveError(path, `DS ${d} has an unknown type code`);
    dataSources.push({
      name: rawName.toString('latin1', 0, end === -1 ? DS_NAME_BYTES : end),
      type,
      heartbeat: head.readUInt32LE(p + 24),
      min: head.readDoubleLE(p + 32),
      max: head.readDoubleLE(p + 40),
    });
    p += DS_DEF_SIZE;
  }
  const rras: RraDefinition[] = [];
  for (let r = 0; r < rraCount; r++) {
    const cf = CONSOLIDATION_FUNCTIONS[head.readUInt8(p)];
    if (cf === undefined) throw new CorruptArchiveError(path, `RRA ${r} has an unknown consolidation function code`);
    rras.push({ cf, pdpPerRow: head.readUInt32LE(p + 4), rows: head.readUInt32LE(p + 8), xff: head.readDoubleLE(p + 16) });
    p += RRA_DEF_SIZE;
  }
  const definition: ArchiveDefinition = { step, dataSources, rras };
  try {
    validateDefinition(definition);
  } catch (e) {
    if (e instanceof InvalidDefinitionError) throw new CorruptArchiveError(path, `stored definition is invalid: ${e.message}`);
    throw e;
  }
  const layout = computeLayout(definition);
  const recorded = [head.readUInt32LE(24), head.readUInt32LE(28), head.readUInt32LE(32), head.readUInt32LE(36), head.readDoubleLE(40)];
  const expected = [layout.stateOffset, layout.redoOffset, layout.redoCapacity, layout.dataOffset, layout.fileSize];
  if (recorded.some((v, i) => v !== expected[i])) throw new CorruptArchiveError(path, 'recorded layout does not match the definition');
  return { definition, layout };
}
