/** `listen`: where the HTTP API accepts connections. */
import { Type } from 'typebox';
import { DEFAULT_LISTEN } from '../defaults.js';
import { defineSection, port, strictObject } from '../../config-schema/index.js';

export const listenSection = defineSection({
  schema: strictObject(
    {
      /** An address or host name to bind; 0.0.0.0 or :: for all interfaces. */
      host: Type.String({ minLength: 1, default: DEFAULT_LISTEN.host }),
      port: port(DEFAULT_LISTEN.port),
    },
    { default: {} },
  ),
});
