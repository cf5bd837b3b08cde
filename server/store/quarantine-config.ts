/**
 * The `quarantine` section: how much room the quarantine file
 * (quarantine.ts) may take. Past `maxBytes` the file is rotated to one
 * previous file, which replaces the one before it, so the two together stay
 * under 2 × maxBytes; the samples rotated away are logged and counted.
 */
import { byteSize, defineSection, strictObject, type SectionValue } from '../config-schema/index.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;

/**
 * 64 MiB: about half a million quarantined samples (a line is about 130
 * bytes with a short reason), far more than a damaged archive or a bad
 * sender produce before someone reads the log; small beside the 256 MiB the
 * journal may take.
 */
export const DEFAULT_QUARANTINE_MAX_BYTES = 64 * MiB;

/**
 * The smallest bound: 16 KiB holds several lines of the longest kind (a
 * 1,024-character series name and a reason cut to 1,024 characters), so a
 * file never has to take one line beyond its bound.
 */
export const MIN_QUARANTINE_BYTES = 16 * KiB;

export const quarantineSection = defineSection({
  schema: strictObject(
    {
      maxBytes: byteSize({ minimum: MIN_QUARANTINE_BYTES, maximum: 2 ** 40, default: DEFAULT_QUARANTINE_MAX_BYTES }),
    },
    { default: {} },
  ),
});

/** The `quarantine` section as loaded: bytes. */
export type QuarantineSettings = SectionValue<typeof quarantineSection.schema>;
