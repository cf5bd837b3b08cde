/** `limits`: the most one request may ask of the server. */
import { Type } from 'typebox';
import { DEFAULT_LIMITS } from '../defaults.js';
import { byteSize, defineSection, durationSeconds, strictObject } from '../../config-schema/index.js';

export const limitsSection = defineSection({
  schema: strictObject(
    {
      bodyBytes: byteSize({ minimum: 2 ** 10, maximum: 2 ** 30, default: DEFAULT_LIMITS.bodyBytes }),
      samplesPerRequest: Type.Integer({ minimum: 1, maximum: 10_000_000, default: DEFAULT_LIMITS.samplesPerRequest }),
      seriesNameLength: Type.Integer({ minimum: 1, maximum: 1024, default: DEFAULT_LIMITS.seriesNameLength }),
      /** How far ahead of the server clock a sample's time may be; further is refused at the door (a sample from the future would lock its series). */
      maxFutureSeconds: durationSeconds({ minimum: 1, maximum: 7 * 86400, default: DEFAULT_LIMITS.maxFutureSeconds }),
      /** Rows one GET /api/v1/fetch may answer, all its series together; more is refused with a 400 that says to narrow the range or ask for `points`. */
      fetchMaxRows: Type.Integer({ minimum: 1, maximum: 50_000_000, default: DEFAULT_LIMITS.fetchMaxRows }),
    },
    { default: {} },
  ),
});
