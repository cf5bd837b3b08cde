/** `limits`: the most one request may ask of the server. */
import { Type } from 'typebox';
import { DEFAULT_LIMITS } from '../defaults.js';
import { byteSize, defineSection, strictObject } from '../../config-schema/index.js';

export const limitsSection = defineSection({
  schema: strictObject(
    {
      bodyBytes: byteSize({ minimum: 2 ** 10, maximum: 2 ** 30, default: DEFAULT_LIMITS.bodyBytes }),
      samplesPerRequest: Type.Integer({ minimum: 1, maximum: 10_000_000, default: DEFAULT_LIMITS.samplesPerRequest }),
      seriesNameLength: Type.Integer({ minimum: 1, maximum: 1024, default: DEFAULT_LIMITS.seriesNameLength }),
    },
    { default: {} },
  ),
});
