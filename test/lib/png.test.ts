/** lib/png.ts, read back by an independent decoder (pngjs checks the signature, every chunk's CRC and the deflate stream). */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../lib/png.js';

describe('encodePng', () => {
  it('writes RGB pixels that pngjs reads back exactly', () => {
    const width = 37; // odd, so a scanline is not a multiple of 4 bytes
    const height = 5;
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + 7) % 256;
    const png = PNG.sync.read(encodePng({ width, height, pixels }));
    expect([png.width, png.height]).toEqual([width, height]);
    for (let p = 0; p < width * height; p++) {
      expect([...png.data.subarray(p * 4, p * 4 + 4)]).toEqual([pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2], 255]);
    }
  });

  it('compresses a flat picture to almost nothing', () => {
    const width = 1000;
    const height = 500;
    const bytes = encodePng({ width, height, pixels: new Uint8Array(width * height * 3).fill(200) });
    expect(bytes.length).toBeLessThan(3000);
    expect(PNG.sync.read(bytes).data[0]).toBe(200);
  });

  it('refuses a side out of range or pixels of the wrong length', () => {
    expect(() => encodePng({ width: 0, height: 1, pixels: new Uint8Array(0) })).toThrow(/width/);
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(11) })).toThrow(/needs 12 bytes/);
  });
});
