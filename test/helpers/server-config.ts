/**
 * The ringmon.yaml of a test server (a `ringmon serve` process of
 * ringmon-process.ts, or an in-process one): where it listens and keeps its
 * data, the settings tests often give, and the test's own sections merged
 * in. Presets for what several tests share.
 */
import { parse, stringify } from 'yaml';

/** What most test servers set; absent, the server's default. */
export interface TestServerConfig {
  /** listen.port. */
  readonly port: number;
  readonly dataDir: string;
  /** log.level. */
  readonly log?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** auth.tokensFile. */
  readonly tokensFile?: string;
  /** auth.openReads. */
  readonly openReads?: boolean;
  /** Graphite plaintext enabled on this port. */
  readonly graphitePort?: number;
}

/** Top-level config sections, as an object or as YAML text. */
export type ConfigSections = Record<string, unknown> | string;

/** No slurper instances (the server would otherwise run its built-in ones). */
export const NO_SLURPERS = { slurpers: { instances: [] } } as const;

/** Every series archived at a 1 s step, 10 minutes kept. */
export const ONE_SECOND_ARCHIVES = { archives: { default: { step: '1s', heartbeat: '5s', rras: ['RRA:AVERAGE:0.5:1:600'] } } } as const;

/** A recipient `ops` mailed through an SMTP server on 127.0.0.1:`smtpPort` (no STARTTLS), and a report `daily` to ops at 06:00. */
export function opsMail(smtpPort: number): Record<string, unknown> {
  return {
    alarms: { recipients: [{ name: 'ops', email: ['ops@test.example'] }] },
    notify: { email: { host: '127.0.0.1', port: smtpPort, starttls: 'never', from: 'ringmon@test.example' } },
    reports: [{ name: 'daily', cron: '0 6 * * *', notify: ['ops'] }],
  };
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `more` merged into `into`: a mapping into a mapping, key by key; anything else replaces. */
function merged(into: Mapping, more: Mapping): Mapping {
  const out = { ...into };
  for (const [key, value] of Object.entries(more)) {
    const before = out[key];
    out[key] = isMapping(before) && isMapping(value) ? merged(before, value) : value;
  }
  return out;
}

/** A test server's ringmon.yaml: `config`, then each of `more` merged in, in order. */
export function testServerYaml(config: TestServerConfig, ...more: ConfigSections[]): string {
  let sections: Mapping = { listen: { port: config.port }, dataDir: config.dataDir };
  if (config.log !== undefined) sections.log = { level: config.log };
  if (config.tokensFile !== undefined) sections = merged(sections, { auth: { tokensFile: config.tokensFile } });
  if (config.openReads !== undefined) sections = merged(sections, { auth: { openReads: config.openReads } });
  if (config.graphitePort !== undefined) sections.graphite = { enabled: true, port: config.graphitePort };
  for (const part of more) sections = merged(sections, typeof part === 'string' ? ((parse(part) as Mapping | null) ?? {}) : part);
  return stringify(sections);
}
