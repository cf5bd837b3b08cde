/**
 * `auth`: who may call the API. The config names the token file; it never
 * holds a secret itself, so it can be kept in version control and shown in
 * logs.
 */
import { Type } from 'typebox';
import { defineSection, filePath, strictObject } from '../config-schema/index.js';

export const DEFAULT_AUTH = { openReads: false } as const;

/** The token file's name inside the data directory, when `auth.tokensFile` is not set. */
export const DEFAULT_TOKENS_FILE_NAME = 'tokens';

export const authSection = defineSection({
  schema: strictObject(
    {
      /** No static default: it is `<dataDir>/tokens`, filled in by the loader once dataDir is known. */
      tokensFile: Type.Optional(filePath()),
      /** true: reading (queries, series lists) needs no token; writing always does. */
      openReads: Type.Boolean({ default: DEFAULT_AUTH.openReads }),
    },
    { default: {} },
  ),
});
