/**
 * `downtimes`: limits on what operators may file. The database itself is
 * `<dataDir>/ringmon.sqlite`.
 */
import { defineSection, durationSeconds, strictObject, type SectionValue } from '../config-schema/index.js';

const DAY = 86_400;

/** The section's defaults. */
export const DEFAULT_DOWNTIMES = { maxWindowSeconds: 90 * DAY } as const;

export const downtimesSection = defineSection({
  schema: strictObject(
    {
      /** Longest window of one downtime (of each occurrence, for a recurring one): a typo in a date must not silence alarms for years. */
      maxWindow: durationSeconds({ minimum: 60, maximum: 3660 * DAY, default: DEFAULT_DOWNTIMES.maxWindowSeconds }),
    },
    { default: {} },
  ),
});

/** The `downtimes` section as loaded: durations in seconds. */
export type DowntimesSettings = SectionValue<typeof downtimesSection.schema>;
