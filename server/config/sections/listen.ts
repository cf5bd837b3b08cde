/** `listen`: where the HTTP API accepts connections, and how long and how many it keeps. */
import { Type } from 'typebox';
import { DEFAULT_LISTEN } from '../defaults.js';
import { defineSection, durationSeconds, port, strictObject } from '../../config-schema/index.js';

const DAY = 86400;

export const listenSection = defineSection({
  schema: strictObject(
    {
      /** An address or host name to bind; 0.0.0.0 or :: for all interfaces. */
      host: Type.String({ minLength: 1, default: DEFAULT_LISTEN.host }),
      port: port(DEFAULT_LISTEN.port),
      /** A connection with no byte moving either way for this long is closed (between requests too). */
      idleTimeout: durationSeconds({ minimum: 1, maximum: DAY, default: DEFAULT_LISTEN.idleTimeoutSeconds }),
      /** A request's headers must have arrived within this time, or it gets 408 and its connection is closed. */
      headersTimeout: durationSeconds({ minimum: 1, maximum: DAY, default: DEFAULT_LISTEN.headersTimeoutSeconds }),
      /** A whole request, body included, must have arrived within this time, or it gets 408 and its connection is closed. */
      requestTimeout: durationSeconds({ minimum: 1, maximum: DAY, default: DEFAULT_LISTEN.requestTimeoutSeconds }),
      /** Most connections open at once; further ones are closed as they come. */
      maxConnections: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_LISTEN.maxConnections }),
    },
    { default: {} },
  ),
  check: (value, report) => {
    // Node refuses a headers timeout longer than the request's: the headers are part of the request.
    if (value.headersTimeout > value.requestTimeout) report(['headersTimeout'], `must not be longer than listen.requestTimeout (${value.requestTimeout}s)`);
  },
});
