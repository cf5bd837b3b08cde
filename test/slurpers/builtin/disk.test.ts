/**
 * The disk slurper on the real root filesystem (checked against df) and on
 * a tmpfs mounted for the test where the sandbox allows mounting (as root).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import disk from '../../../slurpers/builtin/disk.js';
import { parseMounts, selectMounts } from '../../../slurpers/builtin/system/mounts.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const run = (options: object) => runOnce(disk, { name: 'fs', timeoutSeconds: 10, options });
const byName = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

/** df's view of a mount: size, used and available bytes, Use% (rounded up, as df does). */
function df(path: string): { size: number; used: number; avail: number; percent: number } {
  const line = execFileSync('df', ['-P', '-B1', path], { encoding: 'utf8' }).trim().split('\n')[1].split(/\s+/);
  return { size: Number(line[1]), used: Number(line[2]), avail: Number(line[3]), percent: Number(line[4].replace('%', '')) };
}

describe('disk on the root filesystem', () => {
  it('agrees with df', async () => {
    const outcome = await run({ mounts: ['/'] });
    expect(outcome.ok).toBe(true);
    const s = byName(outcome.samples);
    const ref = df('/');
    expect(s['fs.mount.root.size_bytes']).toBe(ref.size);
    // Other processes write while the test runs: allow 1% of the disk.
    expect(Math.abs(s['fs.mount.root.used_bytes']! - ref.used)).toBeLessThan(ref.size / 100);
    expect(Math.abs(s['fs.mount.root.free_bytes']! - ref.avail)).toBeLessThan(ref.size / 100);
    expect(Math.abs(s['fs.mount.root.used_percent']! - ref.percent)).toBeLessThanOrEqual(1.5);
    expect(s['fs.mount.root.inodes_used']! + s['fs.mount.root.inodes_free']!).toBeGreaterThan(0);
  });

  it('leaves out pseudo filesystems and tmpfs by default', async () => {
    const series = (await run({})).samples.map((s) => s.series);
    expect(series).toContain('fs.mount.root.used_percent');
    expect(series.some((s) => /^fs\.mount\.(proc|sys|dev_shm|dev_pts)\./.test(s))).toBe(false);
  });

  it('names a mount point that is not there', async () => {
    expect((await run({ mounts: ['/no/such/mount'] })).error).toBe('not mounted (or excluded by type): /no/such/mount');
  });
});

const mountPoint = mkdtempSync(join(tmpdir(), 'ringmon-tmpfs-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,nr_inodes=1000', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!mounted)('disk on a tmpfs mounted for the test', () => {
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  });
  const label = `fs.mount.${mountPoint.slice(1).replace(/[^A-Za-z0-9_-]+/g, '_')}`;
  const options = { types: ['tmpfs'], mounts: [mountPoint] };

  it('sees bytes and inodes being used, and the state follows', async () => {
    const empty = byName((await run(options)).samples);
    expect(empty[`${label}.size_bytes`]).toBe(8 * 1024 * 1024);
    expect(empty[`${label}.used_percent`]).toBe(0);
    expect(empty[`${label}.inodes_used`]! + empty[`${label}.inodes_free`]!).toBe(1000);

    writeFileSync(join(mountPoint, 'half'), Buffer.alloc(4 * 1024 * 1024, 1));
    const half = await run(options);
    expect(byName(half.samples)[`${label}.used_percent`]).toBeCloseTo(50, 0);
    expect(half.state?.status).toBe('OK');

    writeFileSync(join(mountPoint, 'more'), Buffer.alloc(3.7 * 1024 * 1024, 1));
    const full = await run(options);
    expect(full.state).toMatchObject({ status: 'CRITICAL', message: expect.stringContaining(`${mountPoint} is 9`) });
    expect(full.samples.find((s) => s.series === `${label}.used_percent`)?.thresholds).toEqual({ warning: '85', critical: '95' });
  });
});

describe('parseMounts', () => {
  it('reads octal escapes, and a mount point mounted twice keeps its last entry', () => {
    const text = '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/my\\040disk xfs rw 0 0\ntmpfs /mnt/my\\040disk tmpfs rw 0 0\nproc /proc proc rw 0 0\n';
    const mounts = parseMounts(text);
    expect(mounts).toEqual([
      { device: '/dev/sda1', mountPoint: '/', type: 'ext4' },
      { device: 'tmpfs', mountPoint: '/mnt/my disk', type: 'tmpfs' },
      { device: 'proc', mountPoint: '/proc', type: 'proc' },
    ]);
    expect(selectMounts(mounts, { excludeTypes: ['proc', 'tmpfs'], excludeMounts: [] }).map((m) => m.mountPoint)).toEqual(['/']);
    expect(selectMounts(mounts, { types: ['tmpfs'], excludeTypes: [], excludeMounts: [] }).map((m) => m.mountPoint)).toEqual(['/mnt/my disk']);
  });
});
