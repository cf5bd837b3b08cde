/**
 * A tiny real file system for full-disk tests: a tmpfs of `size` (e.g.
 * '256k') mounted on a fresh folder. Only root may mount, and a container
 * may forbid it even to root: then undefined, and the test skips.
 * `unmountTinyFilesystem` undoes it (afterAll).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function mountTinyFilesystem(size: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mountPoint = mkdtempSync(join(tmpdir(), 'ringmon-tiny-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'ignore' });
    return mountPoint;
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    return undefined;
  }
}

export function unmountTinyFilesystem(mountPoint: string | undefined): void {
  if (!mountPoint) return;
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
}
