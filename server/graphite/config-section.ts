/** `graphite`: the Graphite plaintext listener (`name value timestamp` lines over TCP). */
import { Type } from 'typebox';
import { defineSection, port, strictObject, type SectionValue } from '../config-schema/index.js';

/** Graphite's plaintext protocol port; off unless enabled. */
export const DEFAULT_GRAPHITE = { enabled: false, host: '127.0.0.1', port: 2003 } as const;

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

/** The `graphite` section as loaded. */
export type GraphiteSettings = SectionValue<typeof graphiteSection.schema>;
