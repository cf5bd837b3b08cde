/**
 * The configuration's schema: one list of sections, each a top-level key of
 * the config file. Each part owns its section (schema, defaults, checks) in
 * its own folder; the few that belong to no part (listen, dataDir, limits,
 * log) are under sections/. To add a section, export it from the part's
 * config-section.ts and add it to CONFIG_SECTIONS; the loader validates it,
 * fills its defaults, runs its check and reports its errors, and
 * ServerConfig gains its type.
 */
import type { Static, TSchema } from 'typebox';
import { agentsSection } from '../agents/config-section.js';
import { alarmsSection } from '../alarms/config-section.js';
import { authSection } from '../auth/config-section.js';
import { computedSection } from '../computed/config-section.js';
import { strictObject, type ConfigSection, type DeepReadonly } from '../config-schema/index.js';
import { dashboardsSection } from '../dashboards/config-section.js';
import { downtimesSection } from '../downtimes/config-section.js';
import { feedsSection } from '../feeds/config-section.js';
import { graphiteSection } from '../graphite/config-section.js';
import { heatmapsSection } from '../heatmap/config-section.js';
import { metadataSection } from '../metadata/config-section.js';
import { nodesSection } from '../nodes/config-section.js';
import { notifySection } from '../notify/config-section.js';
import { reportsSection } from '../reports/config-section.js';
import { slurpersSection } from '../slurpers/config-section.js';
import { archivesSection, writeBehindSection } from '../store/config-section.js';
import { statusSection } from '../status/config-section.js';
import { unitsSection } from '../units/config-section.js';
import { quarantineSection } from '../store/quarantine-config.js';
import { dataDirSection } from './sections/data-dir.js';
import { limitsSection } from './sections/limits.js';
import { listenSection } from './sections/listen.js';
import { logSection } from './sections/log.js';

/** The sections, in the order docs/configuration.md presents them. */
export const CONFIG_SECTIONS = {
  listen: listenSection,
  dataDir: dataDirSection,
  graphite: graphiteSection,
  auth: authSection,
  limits: limitsSection,
  writeBehind: writeBehindSection,
  archives: archivesSection,
  quarantine: quarantineSection,
  units: unitsSection,
  slurpers: slurpersSection,
  downtimes: downtimesSection,
  dashboards: dashboardsSection,
  alarms: alarmsSection,
  notify: notifySection,
  reports: reportsSection,
  feeds: feedsSection,
  agents: agentsSection,
  nodes: nodesSection,
  metadata: metadataSection,
  computed: computedSection,
  status: statusSection,
  heatmaps: heatmapsSection,
  log: logSection,
} as const;

export type ConfigSectionName = keyof typeof CONFIG_SECTIONS;

type SectionSchemas = { [K in ConfigSectionName]: (typeof CONFIG_SECTIONS)[K]['schema'] };

function sectionSchemas(): SectionSchemas {
  const entries = Object.entries(CONFIG_SECTIONS).map(([name, section]: [string, ConfigSection]) => [name, section.schema] as const);
  return Object.fromEntries(entries) as SectionSchemas;
}

/** The whole file: a mapping of section names; every section may be left out. */
export const ServerConfigSchema = strictObject(sectionSchemas());

type SchemaConfig = Static<typeof ServerConfigSchema>;

/**
 * The configuration the server runs with, as loadConfig returns it: every
 * default filled in, durations in seconds, sizes in bytes, paths absolute,
 * and `auth.tokensFile` always set. Frozen.
 */
export type ServerConfig = DeepReadonly<
  Omit<SchemaConfig, 'auth'> & { auth: Omit<SchemaConfig['auth'], 'tokensFile'> & { tokensFile: string } }
>;

/** The section list as [name, section] pairs, for the loader. */
export function configSections(): ReadonlyArray<readonly [ConfigSectionName, ConfigSection<TSchema>]> {
  return Object.entries(CONFIG_SECTIONS) as [ConfigSectionName, ConfigSection<TSchema>][];
}
