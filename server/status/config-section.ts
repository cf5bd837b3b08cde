/**
 * `status`: the public status page (docs/status-page.md). What the general
 * public may see without a token: named groups of nodes (by node name
 * patterns) and of alarmed series (by series patterns), each item with its
 * state, its uptime over the last 24 hours and 30 days, and the planned
 * downtimes in force or coming within `upcoming`. Nothing else is public.
 * No groups (the default): no status page, its routes are absent.
 *
 * The answer is built at most once per `refresh` and shared by every
 * request meanwhile, so anonymous traffic costs a cached string; `maxItems`
 * bounds the work of one build (and the page's length).
 */
import { Type } from 'typebox';
import { checkMatch, defineSection, durationSeconds, matchSchema, nameSchema, strictObject, type SectionValue } from '../config-schema/index.js';

const DAY = 86_400;

export const DEFAULT_STATUS = { title: 'Service status', refreshSeconds: 10, upcomingSeconds: 7 * DAY, maxItems: 200, reasons: true } as const;

/** Most groups on one page. */
export const MAX_STATUS_GROUPS = 50;

const Text = (what: string, maxLength: number) => Type.String({ minLength: 1, maxLength, description: what });

export const statusSection = defineSection({
  schema: strictObject(
    {
      /** The page's heading and <title>. */
      title: Type.String({ minLength: 1, maxLength: 200, default: DEFAULT_STATUS.title }),
      /** How long one built answer is served before it is built again. */
      refresh: durationSeconds({ minimum: 1, maximum: 300, default: DEFAULT_STATUS.refreshSeconds }),
      /** How far ahead planned downtimes are shown. */
      upcoming: durationSeconds({ minimum: 0, maximum: 90 * DAY, default: DEFAULT_STATUS.upcomingSeconds }),
      /** Whether a planned downtime's reason is shown (false: "planned maintenance" alone). */
      reasons: Type.Boolean({ default: DEFAULT_STATUS.reasons }),
      /** Most items (nodes and series, all groups together) on the page; past it each group lists its first ones by name and says how many it left out. */
      maxItems: Type.Integer({ minimum: 1, maximum: 5000, default: DEFAULT_STATUS.maxItems }),
      groups: Type.Array(
        strictObject({
          name: nameSchema('a group name', { maxLength: 64 }),
          title: Type.Optional(Text('the heading the page shows; default the name', 200)),
          /** Node names (agents, server-run instances), as series patterns: `broker-*`, `site.**`. */
          nodes: Type.Optional(matchSchema()),
          /** Alarmed series (alarms.rules, offered thresholds), by series pattern. */
          series: Type.Optional(matchSchema()),
        }),
        { default: [], maxItems: MAX_STATUS_GROUPS },
      ),
    },
    { default: {} },
  ),
  check: (value, report) => {
    const seen = new Map<string, number>();
    value.groups.forEach((group, i) => {
      if (group.nodes === undefined && group.series === undefined) report(['groups', i], 'a group needs `nodes` or `series` (or both): what it shows');
      if (group.nodes !== undefined) checkMatch(group.nodes, ['groups', i, 'nodes'], report);
      if (group.series !== undefined) checkMatch(group.series, ['groups', i, 'series'], report);
      const before = seen.get(group.name);
      if (before !== undefined) report(['groups', i, 'name'], `'${group.name}' is already the name of groups[${before}]`);
      seen.set(group.name, i);
    });
  },
});

/** The `status` section as loaded. */
export type StatusSettings = SectionValue<typeof statusSection.schema>;
