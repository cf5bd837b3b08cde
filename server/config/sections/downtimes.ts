/**
 * `downtimes`: limits on what operators may file. The database itself is
 * `<dataDir>/ringmon.sqlite`.
 */
import { durationSeconds, strictObject } from '../leaf-schemas.js';
import { defineSection } from '../section.js';

const DAY = 86_400;

/** Kept next to the section, not in defaults.ts, so the downtime work touches one config file. */
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
