/**
 * `writeBehind`: samples are acknowledged once they are in the journal and
 * written to their archives in batches; these bound how long and how much
 * may wait.
 */
import { DEFAULT_WRITE_BEHIND } from '../defaults.js';
import { byteSize, durationSeconds, strictObject } from '../leaf-schemas.js';
import { defineSection } from '../section.js';

export const writeBehindSection = defineSection({
  schema: strictObject(
    {
      flushIntervalSeconds: durationSeconds({ minimum: 1, maximum: 86400, default: DEFAULT_WRITE_BEHIND.flushIntervalSeconds }),
      maxJournalBytes: byteSize({ minimum: 2 ** 20, maximum: 2 ** 40, default: DEFAULT_WRITE_BEHIND.maxJournalBytes }),
    },
    { default: {} },
  ),
});
