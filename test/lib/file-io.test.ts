/** lib/file-io on real files: full writes through short writes, a stuck io, the owner-only mode of what openFile creates. */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_MODE, nodeFileIo, openFile, writeFully, writeFullySync, type FileIo } from '../../lib/file-io.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-file-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => mkdtempSync(join(root, `d${count++}-`));
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('writeFully and openFile', () => {
  it('lands every byte in place through an io that writes at most 3 bytes a call', async () => {
    const path = join(freshDir(), 'seg');
    const fd = await openFile(path, 'wx');
    const calls: number[] = [];
    const stingy: FileIo = {
      writev: (f, buffers, position) => {
        const first = buffers[0].subarray(0, 3);
        calls.push(position);
        return nodeFileIo.writev(f, [first], position);
      },
      fdatasync: nodeFileIo.fdatasync,
    };
    const buffers = [Buffer.from('hello'), Buffer.alloc(0), Buffer.from(' '), Buffer.from('world!')];
    expect(await writeFully(stingy, fd, buffers, 4)).toBe(12);
    closeSync(fd);
    expect(readFileSync(path).subarray(4).toString()).toBe('hello world!');
    expect(calls).toEqual([4, 7, 9, 10, 13]);
    expect(modeOf(path)).toBe(FILE_MODE);
  });

  it('fails with EIO when the io makes no progress', async () => {
    const fd = await openFile(join(freshDir(), 'seg'), 'wx');
    const stuck: FileIo = { writev: async () => 0, fdatasync: nodeFileIo.fdatasync };
    await expect(writeFully(stuck, fd, [Buffer.from('x')], 0)).rejects.toMatchObject({ code: 'EIO' });
    closeSync(fd);
  });
});

describe('writeFullySync', () => {
  it('writes the whole buffer at the position', () => {
    const path = join(freshDir(), 'f');
    const fd = openSync(path, 'w');
    writeFullySync(fd, Buffer.from('abc'), 0);
    writeFullySync(fd, new Uint8Array(Buffer.from('XYZ')), 5);
    closeSync(fd);
    expect(readFileSync(path)).toEqual(Buffer.from('abc\0\0XYZ'));
  });
});
