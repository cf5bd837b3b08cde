/**
 * `downtimes`: limits on what operators may file and on what one listing may
 * expand. The database itself is `<dataDir>/ringmon.sqlite`.
 */
import { Type } from 'typebox';
import { defineSection, durationSeconds, strictObject, type SectionValue } from '../config-schema/index.js';
import type { DowntimeLimits } from './validate.js';

const DAY = 86_400;

/** The section's defaults. */
export const DEFAULT_DOWNTIMES = {
  maxWindowSeconds: 90 * DAY,
  maxFiled: 1000,
  maxFiledPerAuthor: 100,
  maxListRangeSeconds: 3660 * DAY,
  maxListedWindows: 10_000,
} as const;

export const downtimesSection = defineSection({
  schema: strictObject(
    {
      /** Longest window of one downtime (of each occurrence, for a recurring one): a typo in a date must not silence alarms for years. */
      maxWindow: durationSeconds({ minimum: 60, maximum: 3660 * DAY, default: DEFAULT_DOWNTIMES.maxWindowSeconds }),
      /** Most downtimes in effect or still to come (filed, not over), from everyone together. */
      maxFiled: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_DOWNTIMES.maxFiled }),
      /** Most of those filed by one token. */
      maxFiledPerAuthor: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_DOWNTIMES.maxFiledPerAuthor }),
      /** Widest `from`–`to` range one listing may ask for. */
      maxListRange: durationSeconds({ minimum: DAY, maximum: 100 * 366 * DAY, default: DEFAULT_DOWNTIMES.maxListRangeSeconds }),
      /** Most windows one listing may expand recurring downtimes into. */
      maxListedWindows: Type.Integer({ minimum: 10, maximum: 1_000_000, default: DEFAULT_DOWNTIMES.maxListedWindows }),
    },
    { default: {} },
  ),
});

/** The `downtimes` section as loaded: durations in seconds. */
export type DowntimesSettings = SectionValue<typeof downtimesSection.schema>;

/** The limits the downtime database keeps, from the loaded section. */
export function downtimeLimits(settings: DowntimesSettings): DowntimeLimits {
  return {
    maxWindowSeconds: settings.maxWindow,
    maxFiled: settings.maxFiled,
    maxFiledPerAuthor: settings.maxFiledPerAuthor,
    maxListRangeSeconds: settings.maxListRange,
    maxListedWindows: settings.maxListedWindows,
  };
}
