/**
 * The unit of the values an archive stores, from the unit of the values as
 * sent: a rate kind (COUNTER, DERIVE, ABSOLUTE, DCOUNTER, DDERIVE) stores
 * the change per second, so a byte counter's `B` lists as `B/s` and a
 * packet `count` as `count/s`. A GAUGE stores what was sent.
 */
import type { DsType } from '../../archive/index.js';

/** Whether an archive of this DS type stores per-second rates. */
export function storesRate(type: DsType): boolean {
  switch (type) {
    case 'GAUGE':
      return false;
    case 'COUNTER':
    case 'DERIVE':
    case 'ABSOLUTE':
    case 'DCOUNTER':
    case 'DDERIVE':
      return true;
    default: {
      const never: never = type;
      throw new Error(`unknown DS type ${String(never)}`);
    }
  }
}

/** `unit` as the stored values' unit for an archive of `type`: `B` → `B/s` for a rate; undefined stays unknown. */
export function storedUnit(unit: string | undefined, type: DsType): string | undefined {
  return unit === undefined || !storesRate(type) ? unit : `${unit}/s`;
}
