/**
 * A minimal PNG encoder: an RGB image of 8 bits a channel, no palette, no
 * interlace, every scanline with filter type 0 (None), the image data in
 * one deflate stream (node:zlib). Enough for flat-coloured pictures such as
 * a heatmap, which deflate shrinks to almost nothing without the row
 * filters a photograph would want.
 *
 * The file is the 8-byte signature, then chunks, each `length (4, big
 * endian) | type (4 ASCII) | data | CRC-32 of type and data (4)`:
 * IHDR (width, height, bit depth 8, colour type 2 = RGB, compression 0,
 * filter 0, interlace 0), one IDAT, and IEND. Imports nothing of ringmon.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The largest side this encoder writes; PNG allows 2^31 - 1, but an image this size is already 2.4 GB of pixels. */
export const MAX_PNG_SIDE = 16_384;

/** An RGB picture: `pixels` holds width × height × 3 bytes, row by row from the top left. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The PNG file of `image`. Throws RangeError for a side out of 1..MAX_PNG_SIDE or pixels of the wrong length. */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, pixels } = image;
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(side) || side < 1 || side > MAX_PNG_SIDE) throw new RangeError(`png: ${name} must be a whole number from 1 to ${MAX_PNG_SIDE}, got ${side}`);
  }
  const stride = width * 3;
  if (pixels.length !== stride * height) throw new RangeError(`png: ${width}×${height} RGB needs ${stride * height} bytes, got ${pixels.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  // Each scanline is its filter type byte (0: the bytes as they are) followed by its pixels.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
