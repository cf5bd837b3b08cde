/**
 * checkConfig: every check `ringmon serve` makes of a configuration before it
 * listens, without starting anything: no data directory, no file created.
 * loadConfig has validated the file's keys; this adds what start.ts checks
 * later (slurper files and options, recipients against notify.email, the
 * secret files, the relay's CA file and the token file, the alarm rules). Throws ConfigError
 * naming the key; resolves to a summary of what the config holds.
 */
import { existsSync } from 'node:fs';
import { TokenFileError } from '../auth/errors.js';
import { loadTokenFile } from '../auth/token-file.js';
import type { ServerConfig } from '../config/index.js';
import { ConfigError } from '../config-schema/index.js';
import { compileRules } from '../alarms/rule-set.js';
import { compileFeeds } from '../feeds/index.js';
import { checkNodeRecipients } from '../nodes/config-section.js';
import { checkContacts, checkRecipients } from '../notify/destinations.js';
import { readCertificates } from '../notify/email-settings.js';
import { readSecretFile, SecretFileError } from '../notify/secret-file.js';
import { checkReportHeatmaps } from '../reports/config-section.js';
import { prepareSlurpers } from '../slurpers/run-slurpers.js';

/** What a valid configuration holds, counted for the one line that says it is valid. */
export interface ConfigSummary {
  readonly slurperInstances: number;
  readonly alarmRules: number;
  readonly recipients: number;
  readonly reports: number;
}

/** Runs `check`, turning the named error class into a ConfigError on `key`. */
function keyed(key: string, check: () => unknown, ...faults: (new (...args: never[]) => Error)[]): void {
  try {
    check();
  } catch (e) {
    if (faults.some((f) => e instanceof f)) throw new ConfigError(undefined, [{ key, message: (e as Error).message }]);
    throw e;
  }
}

export async function checkConfig(config: ServerConfig): Promise<ConfigSummary> {
  await prepareSlurpers(config);
  checkRecipients(config.alarms.recipients, config.notify);
  checkContacts(config.alarms.rules, config.notify);
  checkNodeRecipients(config.nodes, config.alarms.recipients);
  checkReportHeatmaps(config.reports, config.heatmaps.views.map((v) => v.name));
  const { passwordFile, caFile } = config.notify.email ?? {};
  // Throws its own ConfigError naming notify.email.caFile.
  if (caFile !== undefined) readCertificates(caFile);
  if (passwordFile !== undefined) keyed('notify.email.passwordFile', () => readSecretFile(passwordFile), SecretFileError);
  const { tokenFile } = config.notify.webhook;
  if (tokenFile !== undefined) keyed('notify.webhook.tokenFile', () => readSecretFile(tokenFile), SecretFileError);
  // A missing token file is allowed at start (a new installation); one that is there must be sound.
  if (existsSync(config.auth.tokensFile)) keyed('auth.tokensFile', () => loadTokenFile(config.auth.tokensFile), TokenFileError);
  // Throws its own ConfigError naming feeds[i].tokenFile.
  compileFeeds(config.feeds, () => {});
  let rules = 0;
  keyed('alarms.rules', () => (rules = compileRules(config.alarms).rules.length), Error);
  return { slurperInstances: config.slurpers.instances.length, alarmRules: rules, recipients: config.alarms.recipients.length, reports: config.reports.length };
}

/** "3 slurper instances, 2 alarm rules, 1 recipient, 0 reports". */
export function describeSummary(s: ConfigSummary): string {
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  return [count(s.slurperInstances, 'slurper instance'), count(s.alarmRules, 'alarm rule'), count(s.recipients, 'recipient'), count(s.reports, 'report')].join(', ');
}
