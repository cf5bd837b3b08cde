/**
 * A Munin field's unit, from its graph's `graph_vlabel`: the label of the
 * y axis Munin draws, so the unit of the values as drawn. `bytes` → `B`,
 * `bits` → `bit`, other text as it is (cut to MAX_UNIT_LENGTH).
 * `per ${graph_period}` says the drawn values are per second (Munin's
 * default period): a rate kind's (COUNTER, DERIVE, ABSOLUTE) archive stores
 * per-second values anyway, so its unit is the text before it (`bytes per
 * ${graph_period}` → `B`, listed `B/s`); a GAUGE's is per second as sent
 * (`B/s`). A rate kind whose label has no period draws what Munin scaled
 * itself (the cpu plugin's jiffies drawn as `%`): its unit is unknown. A
 * field drawn in bits from a byte counter (`cdef down,8,*`) stores bytes.
 */
import { MAX_UNIT_LENGTH } from '../../contract.js';
import type { MuninField } from './munin-protocol.js';

const PER_PERIOD = /\s*(?:per|\/)\s*\$\{graph_period\}/giu;

/** The unit of `field`'s values as sent, given its graph's vlabel and period (`graph_period`, default second); undefined when unknown. */
export function muninUnit(vlabel: string | undefined, field: MuninField, period = 'second'): string | undefined {
  if (vlabel === undefined) return undefined;
  const perPeriod = PER_PERIOD.test(vlabel);
  PER_PERIOD.lastIndex = 0;
  // Other ${...} variables and control characters are Munin's, not a unit's.
  const text = vlabel.replace(PER_PERIOD, '').replace(/\$\{[^}]*\}/gu, '').replace(/[\u0000-\u001f\u007f]/gu, ' ').replace(/\s+/gu, ' ').trim();
  const rate = field.type !== 'GAUGE';
  if (text === '' || (rate && !perPeriod)) return undefined;
  const word = text.split(' ')[0].toLowerCase();
  const fromBytes = field.cdef !== undefined && new RegExp(`^${escape(field.name)},8,\\*$`, 'u').test(field.cdef.replace(/\s+/gu, ''));
  const unit = word === 'bytes' || word === 'byte' || (fromBytes && (word === 'bits' || word === 'bit')) ? 'B' : word === 'bits' || word === 'bit' ? 'bit' : text;
  const suffix = perPeriod && !rate ? `/${period === 'second' ? 's' : period}` : '';
  return `${unit.slice(0, MAX_UNIT_LENGTH - suffix.length)}${suffix}`;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
