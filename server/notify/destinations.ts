/**
 * Recipients by name, resolved to the addresses a notification goes to,
 * and the start-up checks that span `alarms.recipients` and `notify`
 * (a section's own check sees only its own section). A recipient may also
 * be an e-mail address itself (a node's contacts from its metadata, put in
 * a rule's notify by `{ meta: contacts }`): names cannot hold `@`, so it
 * is told apart by its form, and it is sent to by e-mail under its own
 * address as the recipient.
 */
import type { AlarmsSettings } from '../alarms/config-section.js';
import { ConfigError } from '../config-schema/index.js';
import { EMAIL_ADDRESS } from '../metadata/index.js';
import type { NotifySettings } from './config-section.js';
import type { Destination } from './outbox-store.js';

export type Recipients = AlarmsSettings['recipients'];

/** Throws ConfigError naming `notify.email` when a recipient has e-mail addresses but no relay is configured. */
export function checkRecipients(recipients: Recipients, notify: NotifySettings): void {
  if (notify.email !== undefined) return;
  const withEmail = recipients.filter((r) => r.email.length > 0).map((r) => `'${r.name}'`);
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

/** A lookup from recipient names (and e-mail addresses) to their destinations. */
export function destinationsOf(recipients: Recipients): (names: readonly string[]) => Destination[] {
  const byName = new Map(recipients.map((r) => [r.name, r]));
  return (names) =>
    [...new Set(names)].flatMap((name) => {
      if (EMAIL_ADDRESS.test(name)) return [{ recipient: name, channel: 'email' as const, address: name }];
      const recipient = byName.get(name);
      // The config check ties every rule's notify list to alarms.recipients, so an unknown name is a bug in the caller.
      if (recipient === undefined) throw new Error(`notify: unknown recipient '${name}' (not in alarms.recipients)`);
      return [
        ...[...new Set(recipient.email)].map((address) => ({ recipient: name, channel: 'email' as const, address })),
        ...[...new Set(recipient.webhook)].map((address) => ({ recipient: name, channel: 'webhook' as const, address })),
      ];
    });
}
