/**
 * `dashboards`: how many the server keeps. The sizes of one dashboard
 * (panels, series, text) are fixed bounds of the API (model.ts), the same
 * on every server, so a dashboard saved on one loads on another.
 */
import { Type } from 'typebox';
import { defineSection, strictObject, type SectionValue } from '../config-schema/index.js';
import { MAX_DASHBOARDS } from './model.js';

export const dashboardsSection = defineSection({
  schema: strictObject(
    {
      /** Most dashboards stored, from every token together: one more is refused with a 409 naming this setting. */
      maxStored: Type.Integer({ minimum: 1, maximum: 100_000, default: MAX_DASHBOARDS }),
    },
    { default: {} },
  ),
});

/** The `dashboards` section as loaded. */
export type DashboardsSettings = SectionValue<typeof dashboardsSection.schema>;
