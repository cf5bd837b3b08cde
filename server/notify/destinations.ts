/**
 * Recipients by name, resolved to the addresses a notification goes to,
 * and the start-up checks that span `alarms.recipients` and `notify`
 * (a section's own check sees only its own section).
 */
import type { AlarmsSettings } from '../alarms/config-section.js';
import { ConfigError } from '../config-schema/index.js';
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

/** A lookup from recipient names to their destinations. */
export function destinationsOf(recipients: Recipients): (names: readonly string[]) => Destination[] {
  const byName = new Map(recipients.map((r) => [r.name, r]));
  return (names) =>
    [...new Set(names)].flatMap((name) => {
      const recipient = byName.get(name);
      // The config check ties every rule's notify list to alarms.recipients, so an unknown name is a bug in the caller.
      if (recipient === undefined) throw new Error(`notify: unknown recipient '${name}' (not in alarms.recipients)`);
      return [
        ...[...new Set(recipient.email)].map((address) => ({ recipient: name, channel: 'email' as const, address })),
        ...[...new Set(recipient.webhook)].map((address) => ({ recipient: name, channel: 'webhook' as const, address })),
      ];
    });
}
