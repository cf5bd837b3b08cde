/**
 * Issue 16, notices people can act on, over a real SMTP server on loopback:
 * one message per recipient group with To and Cc (each address once, a
 * static Cc list, contacts from metadata in To with the support team in
 * Cc), the hospital contact's notice with the display name, the value
 * rounded with its unit, the time since the problem began and the last
 * sample, a link from the public URL, no "was: OK" on a first notice, and
 * templates per recipient and per rule over the built-in words.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { graphLink } from '../../../lib/public-url.js';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, type Recipients, suiteSmtpSink, T, tempFiles, until } from './helpers/fixtures.js';
import type { ReceivedMail } from '../../helpers/smtp-sink.js';

const files = tempFiles();
const suite = suiteSmtpSink();

/** The To and Cc headers as the mail reader shows them. */
async function headers(mail: ReceivedMail): Promise<{ to: string[]; cc: string[] }> {
  const parsed = await simpleParser(mail.raw);
  const list = (field: typeof parsed.to): string[] => (field === undefined ? [] : (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? '')));
  return { to: list(parsed.to), cc: list(parsed.cc) };
}

const SERIES = 'broker.node.b02.hours_since_contact';
/** The hospital's broker: six hours without contact against a limit of 24, its last sample 30.0004 hours after its last contact. */
const brokerNotice = notice({
  series: SERIES,
  rule: 'broker-contact',
  displayName: 'Broker two',
  value: 30.0004,
  unit: 'hours',
  threshold: '> 24',
  since: T - 6 * 3600,
  at: T,
  lastSampleAt: T - 300,
  graphUrl: graphLink('https://monitor.hospital.example/', SERIES),
});

const SUPPORT: Recipients = [{ name: 'support', email: [], cc: ['support@hospital.example'], webhook: [] }];

async function withNotifier(recipients: Recipients, over: Parameters<typeof notifySettings>[1], run: (n: Notifier) => Promise<void>): Promise<void> {
  const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port, over), recipients, groupWaitSeconds: 0, log: memoryLog(), hostname: 'mon.test' });
  try {
    await run(notifier);
  } finally {
    await notifier.close();
  }
}

describe('one message per recipient group', () => {
  it("sends the node's contacts To and the support team Cc: one message, each address once", async () => {
    await withNotifier(SUPPORT, {}, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['support', 'lab-it@hospital.example', 'ward3@hospital.example'], [brokerNotice]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      await until(() => notifier.stats().pending === 0, 'the message to be marked sent');
      expect(suite.sink.received.length).toBe(before + 1);
      expect([...mail.envelopeTo].sort()).toEqual(['lab-it@hospital.example', 'support@hospital.example', 'ward3@hospital.example']);
      expect(await headers(mail)).toEqual({ to: ['lab-it@hospital.example', 'ward3@hospital.example'], cc: ['support@hospital.example'] });
      const [row] = await notifier.list();
      expect(row).toMatchObject({ channel: 'email', recipient: 'support, lab-it@hospital.example, ward3@hospital.example', to: 'lab-it@hospital.example, ward3@hospital.example', cc: 'support@hospital.example', status: 'sent', notices: 1 });
      expect(await notifier.list()).toHaveLength(1);
    });
  });

  it('dedupes across To, Cc, recipients and the static Cc list', async () => {
    const recipients: Recipients = [
      { name: 'ops', email: ['a@test.example', 'b@test.example'], cc: ['c@test.example'], webhook: [] },
      { name: 'team', email: ['b@test.example'], cc: ['a@test.example', 'd@test.example'], webhook: [] },
    ];
    await withNotifier(recipients, { email: { ...notifySettings(suite.sink.port).email!, cc: ['c@test.example', 'e@test.example', 'a@test.example'] } }, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['ops', 'team', 'ops'], [notice()]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      await until(() => notifier.stats().pending === 0, 'the message to be marked sent');
      expect(suite.sink.received.length).toBe(before + 1);
      expect(mail.envelopeTo).toHaveLength(5);
      expect([...mail.envelopeTo].sort()).toEqual(['a@test.example', 'b@test.example', 'c@test.example', 'd@test.example', 'e@test.example']);
      expect(await headers(mail)).toEqual({ to: ['a@test.example', 'b@test.example'], cc: ['c@test.example', 'd@test.example', 'e@test.example'] });
    });
  });

  it('puts the Cc addresses of a recipient with no To in To, the static Cc list in Cc', async () => {
    await withNotifier(SUPPORT, { email: { ...notifySettings(suite.sink.port).email!, cc: ['boss@hospital.example'] } }, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['support'], [notice()]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(await headers(mail)).toEqual({ to: ['support@hospital.example'], cc: ['boss@hospital.example'] });
    });
  });
});

describe('the notice', () => {
  it('tells the hospital contact the display name, the rounded value with its unit, how long, the last sample and the public link', async () => {
    await withNotifier(SUPPORT, {}, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['support', 'lab-it@hospital.example'], [brokerNotice]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe(`[ringmon] CRITICAL Broker two: ${SERIES} = 30.0 hours (> 24)`);
      expect(mail.subject + mail.text + mail.html).not.toContain('30.0004');
      expect(mail.text).toMatch(/value:\s+30\.0 hours\n/);
      expect(mail.text).toMatch(/since:\s+2026-12-01 02:00:00 UTC \(for 6h\)/);
      expect(mail.text).toMatch(/last sample:\s+2026-12-01 07:55:00 UTC \(5m before\)/);
      expect(mail.text).toContain(`https://monitor.hospital.example/?view=graph&s=${encodeURIComponent(SERIES)}`);
      expect(mail.html).toContain(`<a href="https://monitor.hospital.example/?view=graph&#38;s=${encodeURIComponent(SERIES)}">`);
    });
  });

  it('says nothing of a previous status on a first notice, nor links anywhere without a public URL', async () => {
    await withNotifier(SUPPORT, {}, async (notifier) => {
      const before = suite.sink.received.length;
      const { graphUrl: _none, ...first } = brokerNotice;
      await notifier.notify(['support'], [first]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.text).not.toMatch(/was:/);
      expect(mail.html).not.toMatch(/>was</);
      expect(mail.text).not.toMatch(/graph:/);
      expect(mail.html).not.toContain('<a ');
    });
  });

  it('still tells what a recovery or an escalation was', async () => {
    await withNotifier(SUPPORT, {}, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['support'], [notice({ previous: 'WARNING' })]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.text).toMatch(/was:\s+WARNING/);
    });
  });
});

describe('templates', () => {
  const templates = [
    {
      name: 'hospital',
      recipients: ['wards'],
      rules: [],
      subject: '{{name}}: no contact for {{ value }} {{unit}}',
      text: '{{name}} has not been in contact since {{since}} ({{for}}).\nGraph: {{link}}\nMessage: {{message}}',
      html: '<p><b>{{name}}</b>: {{message}}</p><p><a href="{{link}}">graph</a></p>',
    },
    { name: 'by-rule', recipients: [], rules: ['broker-contact'], subject: 'rule {{rule}}: {{status}} {{series}}' },
  ];
  const recipients: Recipients = [
    { name: 'wards', email: ['wards@hospital.example'], webhook: [] },
    { name: 'ops', email: ['ops@hospital.example'], webhook: [] },
    { name: 'desk', email: ['desk@hospital.example'], webhook: [] },
  ];

  it("a recipient's template overrides the built-in subject and bodies, values escaped in the HTML", async () => {
    await withNotifier(recipients, { templates }, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['wards'], [{ ...brokerNotice, message: '<script>alert(1)</script> & co' }]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe('Broker two: no contact for 30.0 hours');
      expect(mail.text).toBe(
        `Broker two has not been in contact since 2026-12-01 02:00:00 UTC (6h).\nGraph: https://monitor.hospital.example/?view=graph&s=${encodeURIComponent(SERIES)}\nMessage: <script>alert(1)</script> & co\n`,
      );
      expect(mail.html).toContain('<b>Broker two</b>: &#60;script&#62;alert(1)&#60;/script&#62; &#38; co');
      expect(mail.html).not.toContain('<script>');
    });
  });

  it("a rule's template applies to other recipients; the built-in words where none applies", async () => {
    await withNotifier(recipients, { templates }, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['ops'], [brokerNotice]);
      await notifier.notify(['desk'], [notice({ rule: 'cpu' })]);
      const mails = (await suite.sink.waitFor(before + 2)).slice(before);
      const to = (address: string) => mails.find((m) => m.envelopeTo.includes(address));
      expect(to('ops@hospital.example')?.subject).toBe(`rule broker-contact: CRITICAL ${SERIES}`);
      // The template gives a subject only: the bodies are the built-in ones.
      expect(to('ops@hospital.example')?.text).toMatch(/value:\s+30\.0 hours/);
      expect(to('desk@hospital.example')?.subject).toBe('[ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)');
    });
  });

  it('a subject keeps to one line whatever the values hold', async () => {
    await withNotifier(recipients, { templates }, async (notifier) => {
      const before = suite.sink.received.length;
      await notifier.notify(['wards'], [{ ...brokerNotice, displayName: 'Broker\r\nBcc: evil@example.com' }]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe('Broker Bcc: evil@example.com: no contact for 30.0 hours');
      expect(mail.envelopeTo).toEqual(['wards@hospital.example']);
    });
  });
});
