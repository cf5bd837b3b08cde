/**
 * Temperatures from /sys/class/thermal/thermal_zone*: `type` names the
 * sensor (x86_pkg_temp, acpitz), `temp` is millidegrees Celsius. Absent on
 * most virtual machines and containers, which is not an error.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One zone's reading. */
export interface ThermalReading {
  readonly zone: string;
  readonly type: string;
  readonly celsius: number;
}

export async function readThermalZones(root = '/sys/class/thermal'): Promise<ThermalReading[]> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const readings = await Promise.all(
    entries
      .filter((entry) => entry.startsWith('thermal_zone'))
      .sort()
      .map(async (zone) => {
        try {
          const [type, temp] = await Promise.all([readFile(join(root, zone, 'type'), 'utf8'), readFile(join(root, zone, 'temp'), 'utf8')]);
          const celsius = Number(temp.trim()) / 1000;
          return Number.isFinite(celsius) ? { zone, type: type.trim(), celsius } : undefined;
        } catch {
          // A zone whose sensor cannot be read right now (EIO, ENODATA) has no reading this run.
          return undefined;
        }
      }),
  );
  return readings.filter((r): r is ThermalReading => r !== undefined);
}
