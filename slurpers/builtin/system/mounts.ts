/**
 * /proc/self/mounts, read: which filesystems are mounted where, and which
 * of them hold data worth watching. Pseudo filesystems (proc, cgroup...)
 * report nothing useful; tmpfs and read-only images (squashfs) are left
 * out by default the way `df -x` is usually told to.
 */

/** One line of /proc/self/mounts. */
export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly type: string;
}

/** Filesystem types skipped unless asked for by `types`. */
export const DEFAULT_EXCLUDED_TYPES: readonly string[] = [
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs', 'fusectl',
  'hugetlbfs', 'iso9660', 'mqueue', 'nsfs', 'proc', 'pstore', 'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs',
  'sysfs', 'tmpfs', 'tracefs',
];

/** The kernel writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
const unescapeOctal = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Parses /proc/self/mounts; a mount point mounted twice keeps its last (visible) entry, in the place of its first. */
export function parseMounts(text: string): Mount[] {
  const byPoint = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [device, mountPoint, type] = line.split(' ');
    if (device === undefined || mountPoint === undefined || type === undefined) continue;
    const mount = { device: unescapeOctal(device), mountPoint: unescapeOctal(mountPoint), type };
    byPoint.set(mount.mountPoint, mount);
  }
  return [...byPoint.values()];
}

/** Which mounts to watch: `types` (when given) or all but `excludeTypes`; `mounts` (when given) and not `excludeMounts`. */
export interface MountFilter {
  readonly types?: readonly string[];
  readonly excludeTypes: readonly string[];
  readonly mounts?: readonly string[];
  readonly excludeMounts: readonly string[];
}

export function selectMounts(all: readonly Mount[], filter: MountFilter): Mount[] {
  return all.filter(
    (m) =>
      (filter.types ? filter.types.includes(m.type) : !filter.excludeTypes.includes(m.type)) &&
      (filter.mounts ? filter.mounts.includes(m.mountPoint) : true) &&
      !filter.excludeMounts.includes(m.mountPoint),
  );
}
