/**
 * Recipients by name, resolved to the messages a notification makes,
 * and the start-up checks that span `alarms.recipients` and `notify`
 * (a section's own check sees only its own section). A recipient may also
 * be an e-mail address itself (a node's contacts from its metadata, put in
 * a rule's notify by `{ meta: contacts }`): names cannot hold `@`, so it
 * is told apart by its form, and it is sent to by e-mail under its own
 * address as the recipient.
 */
import type { AlarmsSettings } from '../alarms/config-section.js';
import { ConfigError, formatKeyPath } from '../config-schema/index.js';
import { EMAIL_ADDRESS } from '../metadata/index.js';
import type { NotifySettings } from './config-section.js';
import type { Destination } from './outbox-store.js';

export type Recipients = AlarmsSettings['recipients'];

/** Throws ConfigError naming `notify.email` when a recipient has e-mail addresses but no relay is configured. */
export function checkRecipients(recipients: Recipients, notify: NotifySettings): void {
  if (notify.email !== undefined) return;
  const withEmail = recipients.filter((r) => r.email.length + (r.cc?.length ?? 0) > 0).map((r) => `'${r.name}'`);
  if (withEmail.length === 0) return;
  const who = withEmail.length === 1 ? `recipient ${withEmail[0]} has` : `recipients ${withEmail.join(', ')} have`;
  throw new ConfigError(undefined, [{ key: 'notify.email', message: `is required: alarms ${who} e-mail addresses, and without notify.email there is no SMTP relay to send them through` }]);
}

/** Throws ConfigError naming `notify.email` when a rule sends to addresses from metadata (`{ meta: <field> }`) but no relay is configured. */
export function checkContacts(rules: AlarmsSettings['rules'], notify: NotifySettings): void {
  if (notify.email !== undefined) return;
  const rule = rules.find((r) => r.notify.some((entry) => typeof entry !== 'string'));
  if (rule === undefined) return;
  throw new ConfigError(undefined, [{ key: 'notify.email', message: `is required: alarm rule '${rule.name}' sends to e-mail addresses from the node metadata, and without notify.email there is no SMTP relay to send them through` }]);
}

/** The rules that are not in alarms.rules: thresholds a slurper offers, and nodes down. */
const BUILT_IN_RULES = ['offered', 'node-down'];

/** Throws ConfigError naming the key when a template (notify.templates) names a recipient or rule the alarms section does not have. */
export function checkTemplateTargets(notify: NotifySettings, alarms: Pick<AlarmsSettings, 'recipients' | 'rules'>): void {
  const known = { recipients: new Set(alarms.recipients.map((r) => r.name)), rules: new Set([...alarms.rules.map((r) => r.name), ...BUILT_IN_RULES]) };
  const problems = (notify.templates ?? []).flatMap((template, i) =>
    (['recipients', 'rules'] as const).flatMap((kind) =>
      template[kind].flatMap((name, j) => (known[kind].has(name) ? [] : [{ key: formatKeyPath(['notify', 'templates', i, kind, j]), message: `'${name}' is not in alarms.${kind}` }])),
    ),
  );
  if (problems.length > 0) throw new ConfigError(undefined, problems);
}

/**
 * A lookup from a notice's recipient list (names and addresses) to where it
 * goes: one e-mail message for the whole list, and one call per webhook URL.
 * The message's To is every name's `email` and every address given, its Cc
 * every name's `cc` and `staticCc` (notify.email.cc); an address goes once,
 * in To when it is in both; a list with only Cc addresses has them in To.
 * Its recipient, for the log, is the list's names and addresses.
 */
export function destinationsOf(recipients: Recipients, staticCc: readonly string[] = []): (names: readonly string[]) => Destination[] {
  const byName = new Map(recipients.map((r) => [r.name, r]));
  return (given) => {
    const names = [...new Set(given)];
    const to = new Set<string>();
    const cc = new Set<string>();
    const hooks = new Map<string, string>();
    for (const name of names) {
      if (EMAIL_ADDRESS.test(name)) {
        to.add(name);
        continue;
      }
      const recipient = byName.get(name);
      // The config check ties every rule's notify list to alarms.recipients, so an unknown name is a bug in the caller.
      if (recipient === undefined) throw new Error(`notify: unknown recipient '${name}' (not in alarms.recipients)`);
      for (const address of recipient.email) to.add(address);
      for (const address of recipient.cc ?? []) cc.add(address);
      for (const url of recipient.webhook) if (!hooks.has(url)) hooks.set(url, name);
    }
    const list: Destination[] = [];
    if (to.size + cc.size > 0) {
      const [toList, ccList] = to.size > 0 ? [to, cc] : [cc, new Set<string>()];
      for (const address of staticCc) ccList.add(address);
      for (const address of toList) ccList.delete(address);
      list.push({ recipient: names.join(', '), channel: 'email', address: [...toList].join(', '), cc: [...ccList].join(', '), names });
    }
    for (const [url, name] of hooks) list.push({ recipient: name, channel: 'webhook', address: url, cc: '', names: [name] });
    return list;
  };
}
