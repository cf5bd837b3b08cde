/**
 * Recipients to destinations: names through alarms.recipients, e-mail
 * addresses (a node's contacts from metadata) as themselves; a rule sending
 * to addresses from metadata needs notify.email.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config-schema/index.js';
import { checkContacts, destinationsOf } from '../../../server/notify/destinations.js';

const notifyWithout = { webhook: { timeout: 10 }, retry: { initial: 5, max: 600 }, keep: 86400 };
const rule = { name: 'contact', match: 'broker.*', for: 0, hysteresis: 0, notify: ['support', { meta: 'contacts' }] };

describe('destinations', () => {
  it('sends to an address as itself, beside the named recipients, in one message', () => {
    const of = destinationsOf([{ name: 'support', email: ['support@x.example'], webhook: [] }]);
    // Issue 16: one message per recipient group, each address once (it was one message per address).
    expect(of(['support', 'b01@wards.example', 'b01@wards.example'])).toEqual([
      { recipient: 'support, b01@wards.example', channel: 'email', address: 'support@x.example, b01@wards.example', cc: '', names: ['support', 'b01@wards.example'] },
    ]);
    expect(() => of(['nobody'])).toThrow(/unknown recipient 'nobody'/);
  });

  it('refuses a rule that sends to addresses from metadata without notify.email, naming the key', () => {
    expect(() => checkContacts([rule], notifyWithout)).toThrow(ConfigError);
    expect(() => checkContacts([rule], notifyWithout)).toThrow(/notify\.email.*alarm rule 'contact' sends to e-mail addresses from the node metadata/);
    expect(() => checkContacts([{ ...rule, notify: ['support'] }], notifyWithout)).not.toThrow();
  });
});
