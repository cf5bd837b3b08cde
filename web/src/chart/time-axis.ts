/**
 * The x axis of a graph: the range asked for, ticks on round clock steps in
 * the zone the page shows (ticks-time.ts), labelled by format.ts as every
 * other time on the page, the zone in its title (`Time (UTC)`).
 */
import type { Scale, ScaleOptions } from 'chart.js';
import { dayNumber, formatTick, zoneName, zoneOffsetMinutes } from '../format.js';
import { stepSeconds, timeStep, timeTicks } from './ticks-time.js';

/** Pixels a time tick label needs across (`23:59:59` with a gap). */
const X_LABEL_ROOM = 84;

/** The x axis over [start, end] (ms). */
export function timeAxis(start: number, end: number): ScaleOptions<'time'> {
  let step = 1;
  return {
    type: 'time',
    min: start,
    max: end,
    title: { display: true, text: `Time (${zoneName(end)})` },
    // `labels`: chart.js makes no ticks of its own (there are no labels) and skips none of ours.
    ticks: {
      source: 'labels',
      autoSkip: false,
      maxRotation: 0,
      callback: (value, index, ticks) => formatTick(Number(value), step, index === 0 || dayNumber(Number(value)) !== dayNumber(ticks[index - 1].value)),
    },
    afterBuildTicks: (scale: Scale) => {
      const chosen = timeStep((scale.max - scale.min) / 1000, Math.floor(scale.width / X_LABEL_ROOM));
      step = stepSeconds(chosen);
      scale.ticks = timeTicks(scale.min, scale.max, chosen, zoneOffsetMinutes).map((value) => ({ value }));
    },
    grid: { color: '#eceef2' },
  };
}
