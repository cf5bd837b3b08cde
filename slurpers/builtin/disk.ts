/**
 * `disk`: space and inodes of each mounted filesystem, from statfs(2).
 * Per mount `mount.<label>.` (label from the mount point: `/` → root,
 * `/var/lib` → var_lib): used_bytes, free_bytes (available to ordinary
 * users, as df's "Avail"), size_bytes, used_percent (df's Use%), and
 * inodes_used, inodes_free, inodes_used_percent where the filesystem has
 * inodes. Pseudo filesystems and tmpfs are skipped unless `types` names them.
 */
import { readFile, statfs } from 'node:fs/promises';
import { defineSlurper, Type, type CheckState, type CollectedSample } from '../contract.js';
import { DEFAULT_EXCLUDED_TYPES, parseMounts, selectMounts } from './system/mounts.js';
import { uniqueSegments } from './system/series-segment.js';

const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10000) / 100 : null);

export default defineSlurper({
  name: 'disk',
  description: 'Used and free bytes, percent used and inodes of each mounted filesystem.',
  options: Type.Object(
    {
      types: Type.Optional(Type.Array(Type.String(), { description: 'Only these filesystem types (e.g. [ext4, xfs]); default: all but pseudo filesystems and tmpfs.' })),
      excludeTypes: Type.Array(Type.String(), { default: [...DEFAULT_EXCLUDED_TYPES] }),
      mounts: Type.Optional(Type.Array(Type.String(), { description: 'Only these mount points.' })),
      excludeMounts: Type.Array(Type.String(), { default: [] }),
      warningPercent: Type.Number({ minimum: 0, maximum: 100, default: 85 }),
      criticalPercent: Type.Number({ minimum: 0, maximum: 100, default: 95 }),
    },
    { additionalProperties: false },
  ),
  async collect(ctx, options) {
    const mounts = selectMounts(parseMounts(await readFile('/proc/self/mounts', { encoding: 'utf8', signal: ctx.signal })), {
      types: options.types,
      excludeTypes: options.excludeTypes,
      mounts: options.mounts,
      excludeMounts: options.excludeMounts,
    });
    const missing = (options.mounts ?? []).filter((point) => !mounts.some((m) => m.mountPoint === point));
    if (missing.length > 0) throw new Error(`not mounted (or excluded by type): ${missing.join(', ')}`);

    const thresholds = { warning: String(options.warningPercent), critical: String(options.criticalPercent) };
    const labels = uniqueSegments(mounts.map((m) => m.mountPoint));
    const samples: CollectedSample[] = [];
    let worst: { point: string; used: number; what: string } | undefined;
    const consider = (point: string, used: number | null, what: string): void => {
      if (used !== null && (worst === undefined || used > worst.used)) worst = { point, used, what };
    };
    for (const [i, mount] of mounts.entries()) {
      // A mount we may not read (another namespace's, a dead NFS server's) is skipped, not the whole run.
      const stats = await statfs(mount.mountPoint).catch((error: Error) => ctx.log.debug({ mount: mount.mountPoint }, `statfs: ${error.message}`));
      if (!stats || stats.blocks === 0) continue;
      const used = (stats.blocks - stats.bfree) * stats.bsize;
      const free = stats.bavail * stats.bsize;
      const usedPercent = percent(used, used + free);
      const prefix = `mount.${labels[i]}`;
      samples.push(
        { series: `${prefix}.used_bytes`, value: used, unit: 'B' },
        { series: `${prefix}.free_bytes`, value: free, unit: 'B' },
        { series: `${prefix}.size_bytes`, value: stats.blocks * stats.bsize, unit: 'B' },
        { series: `${prefix}.used_percent`, value: usedPercent, unit: '%', thresholds },
      );
      if (stats.files > 0) {
        samples.push(
          { series: `${prefix}.inodes_used`, value: stats.files - stats.ffree, unit: 'inodes' },
          { series: `${prefix}.inodes_free`, value: stats.ffree, unit: 'inodes' },
          { series: `${prefix}.inodes_used_percent`, value: percent(stats.files - stats.ffree, stats.files), unit: '%', thresholds },
        );
        consider(mount.mountPoint, percent(stats.files - stats.ffree, stats.files), 'of its inodes used');
      }
      consider(mount.mountPoint, usedPercent, 'full');
    }
    const fullest = worst as { point: string; used: number; what: string } | undefined; // TS cannot see the closure's assignments
    if (fullest === undefined) return { samples, state: { status: 'UNKNOWN', message: 'no filesystem matched' } };
    const status: CheckState['status'] = fullest.used >= options.criticalPercent ? 'CRITICAL' : fullest.used >= options.warningPercent ? 'WARNING' : 'OK';
    return { samples, state: { status, message: `${fullest.point} is ${fullest.used}% ${fullest.what} (the fullest of ${labels.length} watched)` } };
  },
});
