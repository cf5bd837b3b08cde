/** `log`: the server log (pino, JSON lines on standard output). */
import { Type } from 'typebox';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS } from '../defaults.js';
import { defineSection, strictObject } from '../../config-schema/index.js';

export const logSection = defineSection({
  schema: strictObject({ level: Type.Enum(LOG_LEVELS, { default: DEFAULT_LOG_LEVEL }) }, { default: {} }),
});
