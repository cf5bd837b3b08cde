/**
 * A notice's message (a check's state line) in what is sent: one line in
 * the text body right after the threshold, escaped in the HTML, the rest of
 * the mail as it was; in the webhook JSON as the notice's `message`; and
 * kept by the outbox, so a mail still waiting when ringmon closes carries
 * it after the next open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import type { OutboxMessage } from '../../../server/notify/model.js';
import { alarmBodies } from '../../../server/notify/email-body.js';
import { bodyOf } from '../../../server/notify/webhook-sender.js';
import { freePort } from '../../helpers/free-port.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { memoryLog, notice, notifySettings, OPS, tempFiles, until } from './helpers/fixtures.js';

const files = tempFiles();
const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

const DISK = { series: 'web1.nagios.disk.state', value: 2, threshold: 'inside 2:2' } as const;

describe('the mail bodies', () => {
  it('add a message line after the threshold, and change nothing else', () => {
    const plain = alarmBodies([notice(DISK)]);
    const told = alarmBodies([notice({ ...DISK, message: 'DISK CRITICAL - / 95%' })]);
    const lines = plain.text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  threshold:')) + 1;
    expect(told.text).toBe([...lines.slice(0, at), '  message:   DISK CRITICAL - / 95%', ...lines.slice(at)].join('\n'));
    expect(told.html).toContain('<tr><th align="left" style="padding-right:1em">message</th><td>DISK CRITICAL - / 95%</td></tr>');
    expect(plain.text).not.toContain('message');
    expect(plain.html).not.toContain('message');
  });

  it('keep a message on one line and escape it in the HTML', () => {
    const { text, html } = alarmBodies([notice({ ...DISK, message: 'DISK CRITICAL <b>/</b>\r\nsecond line\tend' })]);
    expect(text).toContain('\n  message:   DISK CRITICAL <b>/</b> second line end\n');
    expect(html).toContain('<td>DISK CRITICAL &#60;b&#62;/&#60;/b&#62; second line end</td>');
    expect(html).not.toContain('<b>');
  });

  it('leave out a message with nothing to show', () => {
    expect(alarmBodies([notice({ ...DISK, message: ' \n ' })]).text).toBe(alarmBodies([notice(DISK)]).text);
  });
});

describe('the webhook JSON', () => {
  it("gives the notice's message as it is", () => {
    const carried = notice({ ...DISK, message: 'DISK CRITICAL - / 95%' });
    const message: OutboxMessage = { id: 7, channel: 'webhook', recipient: 'chat', to: 'http://hook', cc: '', template: null, subject: 's', attempts: 0, payloads: [{ kind: 'alarm', notice: carried }] };
    expect(bodyOf(message)).toEqual({ id: 7, recipient: 'chat', subject: 's', notices: [{ ...notice(DISK), message: 'DISK CRITICAL - / 95%' }] });
  });
});

describe('the outbox', () => {
  it('keeps the message of a mail the relay did not take before a close, and sends it after the next open', async () => {
    const port = await freePort();
    const file = files.newFile();
    const open = () => Notifier.open({ file, notify: notifySettings(port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    const first = await open();
    try {
      await first.notify(['ops'], [notice({ ...DISK, message: 'DISK CRITICAL - / 95%' })]);
      await until(() => first.stats().retries >= 1, 'a failed attempt');
    } finally {
      await first.close();
    }
    const smtp = await SmtpSink.start(port);
    sinks.push(smtp);
    const second = await open();
    try {
      const [mail] = await smtp.waitFor(1);
      expect(mail.text).toMatch(/^ {2}message: +DISK CRITICAL - \/ 95%$/m);
    } finally {
      await second.close();
    }
  });
});
