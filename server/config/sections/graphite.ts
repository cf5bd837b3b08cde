/** `graphite`: the Graphite plaintext listener (`name value timestamp` lines over TCP). */
import { Type } from 'typebox';
import { DEFAULT_GRAPHITE } from '../defaults.js';
import { port, strictObject } from '../leaf-schemas.js';
import { defineSection } from '../section.js';

export const graphiteSection = defineSection({
  schema: strictObject(
    {
      enabled: Type.Boolean({ default: DEFAULT_GRAPHITE.enabled }),
      host: Type.String({ minLength: 1, default: DEFAULT_GRAPHITE.host }),
      port: port(DEFAULT_GRAPHITE.port),
    },
    { default: {} },
  ),
});
