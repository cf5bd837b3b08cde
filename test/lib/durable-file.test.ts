/**
 * lib/durable-file on real files: modes whatever the umask, no temporary
 * file left by a success or a failure, the old file intact after a failure,
 * and no torn file for a reader, even when the writer is killed mid-replace;
 * a failure of an injected io (full disk, failed sync) is such a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DIR_MODE,
  FILE_MODE,
  makeDirectory,
  nodeFileIo,
  makeDirectorySync,
  replaceFile,
  replaceFileSync,
  syncDirectory,
  syncDirectorySync,
  type FileIo,
} from '../../lib/durable-file.js';
import { mountTinyFilesystem, unmountTinyFilesystem } from '../helpers/tiny-filesystem.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-durable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => {
  const dir = join(root, `d${count++}`);
  mkdirSync(dir);
  return dir;
};
const modeOf = (path: string): number => statSync(path).mode & 0o777;
const WRITER = join(import.meta.dirname, 'replace-writer.ts');
const isRoot = process.getuid?.() === 0;

const savedUmask = process.umask();
afterEach(() => void process.umask(savedUmask));

describe.each([
  ['replaceFile', (path: string, data: string | Uint8Array) => replaceFile(path, data)],
  ['replaceFileSync', async (path: string, data: string | Uint8Array) => replaceFileSync(path, data)],
])('%s', (_name, replace) => {
  it('replaces a 0644 file under umask 022 with a 0600 one holding the new data, leaving nothing else', async () => {
    process.umask(0o022);
    const dir = freshDir();
    const path = join(dir, 'agents.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    expect(modeOf(path)).toBe(0o644);
    await replace(path, 'new text');
    expect(readFileSync(path, 'utf8')).toBe('new text');
    expect(modeOf(path)).toBe(FILE_MODE);
    expect(readdirSync(dir)).toEqual(['agents.json']);
  });

  it('gives mode 0600 even when the umask takes the owner write bit (fchmod undoes it)', async () => {
    process.umask(0o277);
    const path = join(freshDir(), 'file');
    await replace(path, new Uint8Array([1, 2, 3]));
    process.umask(savedUmask);
    expect(modeOf(path)).toBe(0o600);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it('fails with EISDIR when the target is a directory, leaving it and no temporary file', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'inside'), 'kept');
    await expect(replace(join(dir, 'target'), 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
    expect(readdirSync(dir)).toEqual(['target']);
    expect(readFileSync(join(dir, 'target', 'inside'), 'utf8')).toBe('kept');
  });

  it('fails with ENOENT when the folder is missing', async () => {
    await expect(replace(join(root, 'no-such-folder', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a writer that may not write in the folder', () => {
  it('gets EACCES and leaves the old file and no temporary file (a real non-root writer)', () => {
    const dir = freshDir();
    const path = join(dir, 'file');
    writeFileSync(path, 'old');
    // The writer may change the file itself but not the folder's names, so a replace must fail.
    const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};
    chmodSync(root, 0o711); // so the other user reaches the folder and fails only at writing in it
    if (isRoot) chownSync(path, 65534, 65534);
    chmodSync(dir, 0o555);
    const result = spawnSync(process.execPath, ['--import', 'tsx', WRITER, 'once', path, 'new'], { encoding: 'utf8', ...asUser });
    chmodSync(dir, 0o755);
    expect(result.stdout.trim()).toBe('EACCES');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['file']);
  });
});

describe('replaceFile through an injected io', () => {
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

  /** The node io, recording its calls, failing as `fault` says: a full disk writes part of the data first. */
  function faultyIo(fault: 'none' | 'ENOSPC on write' | 'EIO on sync'): { io: FileIo; calls: string[] } {
    const calls: string[] = [];
    const io: FileIo = {
      async writev(fd, buffers, position) {
        calls.push(`writev ${position}`);
        if (fault !== 'ENOSPC on write') return nodeFileIo.writev(fd, buffers, position);
        if (position > 0) throw errno('ENOSPC');
        return nodeFileIo.writev(fd, [buffers[0].subarray(0, 2)], position);
      },
      async fdatasync(fd) {
        calls.push('fdatasync');
        if (fault === 'EIO on sync') throw errno('EIO');
        return nodeFileIo.fdatasync(fd);
      },
    };
    return { io, calls };
  }

  it('writes and syncs through the io it is given', async () => {
    const path = join(freshDir(), 'checkpoint');
    const { io, calls } = faultyIo('none');
    await replaceFile(path, 'new text', { io });
    expect(calls).toEqual(['writev 0', 'fdatasync']);
    expect(readFileSync(path, 'utf8')).toBe('new text');
    expect(modeOf(path)).toBe(FILE_MODE);
  });

  it.each(['ENOSPC on write', 'EIO on sync'] as const)('fails with the error of the io (%s), leaving the old file and no temporary file', async (fault) => {
    const dir = freshDir();
    const path = join(dir, 'checkpoint');
    writeFileSync(path, 'old');
    const { io, calls } = faultyIo(fault);
    await expect(replaceFile(path, 'new text', { io })).rejects.toMatchObject({ code: fault.slice(0, fault.indexOf(' ')) });
    expect(calls).toEqual(fault === 'EIO on sync' ? ['writev 0', 'fdatasync'] : ['writev 0', 'writev 2']);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['checkpoint']);
  });
});

const tinyFs = mountTinyFilesystem('256k');
afterAll(() => unmountTinyFilesystem(tinyFs));

describe('a full disk (a real 256 KiB tmpfs, root only)', () => {
  it.skipIf(!tinyFs)('fails with ENOSPC mid-write, leaving the old file and no temporary file', async () => {
    const path = join(tinyFs!, 'file');
    writeFileSync(path, 'old');
    await expect(replaceFile(path, Buffer.alloc(1024 * 1024, 1))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(() => replaceFileSync(path, Buffer.alloc(1024 * 1024, 1))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(tinyFs!)).toEqual(['file']);
  });
});

/** The file's bytes are one whole version: the full size, every byte the same. Returns that byte. */
function wholeVersion(path: string, size: number): number {
  const bytes = readFileSync(path);
  expect(bytes.length).toBe(size);
  const first = bytes[0];
  expect(bytes.every((b) => b === first)).toBe(true);
  return first;
}

describe('a writer killed with SIGKILL mid-replace', () => {
  const SIZE = 8 * 1024 * 1024;

  function runAndKill(path: string, delayMs: number): Promise<Set<number>> {
    return new Promise((resolve, reject) => {
      const seen = new Set<number>();
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, 'loop', path, String(SIZE)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      let torn: unknown;
      child.stdout.once('data', () => {
        // Read while the writer replaces: every read must be one whole version.
        const reader = setInterval(() => {
          try {
            seen.add(wholeVersion(path, SIZE));
          } catch (error) {
            torn ??= error;
          }
        }, 5);
        setTimeout(() => {
          clearInterval(reader);
          child.kill('SIGKILL');
        }, delayMs);
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code}: ${stderr}`));
        else if (torn !== undefined) reject(torn);
        else resolve(seen);
      });
    });
  }

  it('leaves the old content or the new, never a mix, and readers never see a torn file', async () => {
    const dir = freshDir();
    const path = join(dir, 'big');
    const versions = new Set<number>();
    for (let kill = 0; kill < 6; kill++) {
      for (const v of await runAndKill(path, 150 + Math.floor(Math.random() * 400))) versions.add(v);
      versions.add(wholeVersion(path, SIZE));
      expect(modeOf(path)).toBe(FILE_MODE);
      // Only temporary files a kill interrupted may be left, and never under the target's name.
      for (const name of readdirSync(dir)) if (name !== 'big') expect(name).toMatch(/^\.big\.\d+\.[0-9a-f]{12}\.tmp$/);
    }
    // Each run made at least one new version, so the readers saw the file change under them.
    expect(versions.size).toBeGreaterThan(1);
  });
});

/** Whether fsync of /proc answers EINVAL here, as Linux's procfs does: a real file system that refuses to sync a folder. */
const procRefuses = ((): boolean => {
  try {
    const fd = openSync('/proc', 'r');
    try {
      fsyncSync(fd);
      return false;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EINVAL';
  }
})();

describe('syncDirectory', () => {
  it.skipIf(!procRefuses)('takes a file system that refuses to sync a folder (EINVAL from /proc) as nothing to do', async () => {
    await expect(syncDirectory('/proc')).resolves.toBeUndefined();
    expect(syncDirectorySync('/proc')).toBeUndefined();
  });

  it('rejects with the system error for a folder that is not there, rather than swallowing it', async () => {
    await expect(syncDirectory(join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => syncDirectorySync(join(root, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe.each([
  ['makeDirectory', (path: string) => makeDirectory(path)],
  ['makeDirectorySync', async (path: string) => makeDirectorySync(path)],
])('%s', (_name, make) => {
  it('makes every missing folder 0700 under umask 022, keeping the mode of one that exists', async () => {
    process.umask(0o022);
    const dir = freshDir();
    chmodSync(dir, 0o755);
    await make(join(dir, 'a', 'b', 'c'));
    for (const sub of ['a', 'a/b', 'a/b/c']) expect(modeOf(join(dir, sub))).toBe(DIR_MODE);
    expect(modeOf(dir)).toBe(0o755);
    await make(join(dir, 'a', 'b'));
    expect(modeOf(join(dir, 'a', 'b'))).toBe(DIR_MODE);
  });

  it('rejects when a file is in the way', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'f'), '');
    await expect(make(join(dir, 'f', 'sub'))).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
  });
});
