/**
 * E-mail over a real SMTP server on loopback: what one notice looks like
 * when it arrives, and how notices within the group window become one mail.
 */
import { describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, OPS, sleep, suiteSmtpSink, tempFiles, until } from './helpers/fixtures.js';

const files = tempFiles();
const suite = suiteSmtpSink();

describe('one notice', () => {
  it('arrives as exactly one e-mail with a specific subject, text and HTML bodies', async () => {
    const before = suite.sink.received.length;
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog(), hostname: 'mon.test' });
    try {
      await notifier.notify(['ops'], [notice({ series: 'host.web01.cpu.user', graphUrl: 'http://ringmon.example/graph?series=host.web01.cpu.user&from=-1d' })]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe('[ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)');
      expect(mail.envelopeTo).toEqual(['ops@test.example']);
      expect(mail.from).toBe('ringmon@test.example');
      expect(mail.messageId).toMatch(/^<ringmon-\d+@mon\.test>$/);
      expect(mail.text).toContain('CRITICAL host.web01.cpu.user = 97.2 (> 95)');
      expect(mail.text).toMatch(/since:\s+2026-12-01 07:55:00 UTC \(for 5m\)/);
      expect(mail.text).toMatch(/threshold:\s+> 95/);
      expect(mail.text).toMatch(/value:\s+97\.2/);
      expect(mail.text).toContain('http://ringmon.example/graph?series=host.web01.cpu.user&from=-1d');
      expect(mail.html).toContain('<a href="http://ringmon.example/graph?series=host.web01.cpu.user&#38;from=-1d">');
      expect(mail.html).toContain('&#62; 95');
      await sleep(300);
      expect(suite.sink.received.length).toBe(before + 1);
      expect(notifier.stats()).toMatchObject({ pending: 0, queued: 0, sent: 1, failed: 0, retries: 0 });
    } finally {
      await notifier.close();
    }
  });

  it('escapes what came from outside in the HTML body', async () => {
    const before = suite.sink.received.length;
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      const downtime = { id: 7, kind: 'unplanned' as const, reason: '<script>alert("x")</script> & more' };
      await notifier.notify(['ops'], [notice({ kind: 'recovery', status: 'OK', previous: 'CRITICAL', value: 42, threshold: null, downtime })]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe('[ringmon] RECOVERED host.web01.cpu.user = 42 (was CRITICAL)');
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
      expect(mail.text).toContain('unplanned downtime #7: <script>alert("x")</script> & more');
    } finally {
      await notifier.close();
    }
  });
});

describe('grouping', () => {
  it('sends notices within the window as one mail, and later ones as a second', async () => {
    const before = suite.sink.received.length;
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port), recipients: OPS, groupWaitSeconds: 1, log: memoryLog() });
    try {
      const started = Date.now();
      await notifier.notify(['ops'], [notice({ series: 'host.a.cpu' })]);
      await sleep(200);
      await notifier.notify(['ops'], [notice({ series: 'host.b.cpu', status: 'WARNING', threshold: '> 80' })]);
      await sleep(200);
      await notifier.notify(['ops'], [notice({ series: 'host.c.cpu', kind: 'recovery', status: 'OK', previous: 'CRITICAL', value: 3, threshold: null })]);
      const [first] = (await suite.sink.waitFor(before + 1)).slice(before);
      // The window opens with the first notice: the mail leaves about a second after it, not after the last.
      expect(first.acceptedAt - started).toBeGreaterThanOrEqual(950);
      expect(first.acceptedAt - started).toBeLessThan(1900);
      expect(first.subject).toBe('[ringmon] 3 alarms: 1 CRITICAL, 1 WARNING, 1 recovered');
      for (const series of ['host.a.cpu', 'host.b.cpu', 'host.c.cpu']) {
        expect(first.text).toContain(series);
        expect(first.html).toContain(series);
      }

      await notifier.notify(['ops'], [notice({ series: 'host.d.cpu' })]);
      const [second] = (await suite.sink.waitFor(before + 2)).slice(before + 1);
      expect(second.subject).toBe('[ringmon] CRITICAL host.d.cpu = 97.2 (> 95)');
      expect(second.text).not.toContain('host.a.cpu');
      await until(() => notifier.stats().pending === 0, 'the second message to be marked sent');
      const log = await notifier.list();
      expect(log.map((r) => [r.notices, r.status])).toEqual([
        [1, 'sent'],
        [3, 'sent'],
      ]);
    } finally {
      await notifier.close();
    }
  });

  // Issue 16: a recipient list is one group, one message with everyone in To (it was one message per recipient).
  it('groups per recipient group: each list gets its own message', async () => {
    const before = suite.sink.received.length;
    const recipients = [...OPS, { name: 'dba', email: ['dba@test.example'], webhook: [] }];
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port), recipients, groupWaitSeconds: 0.3, log: memoryLog() });
    try {
      await notifier.notify(['ops', 'dba'], [notice({ series: 'db.a' }), notice({ series: 'db.b' })]);
      await notifier.notify(['ops'], [notice({ series: 'web.a' })]);
      const mails = (await suite.sink.waitFor(before + 2)).slice(before);
      const byRcpt = new Map(mails.map((m) => [m.envelopeTo.join(' '), m]));
      expect(byRcpt.get('ops@test.example dba@test.example')?.subject).toBe('[ringmon] 2 alarms: 2 CRITICAL');
      expect(byRcpt.get('ops@test.example')?.subject).toBe('[ringmon] CRITICAL web.a = 97.2 (> 95)');
      await sleep(300);
      expect(suite.sink.received.length).toBe(before + 2);
    } finally {
      await notifier.close();
    }
  });

  it('keeps a waiting group across a restart inside the window', async () => {
    const before = suite.sink.received.length;
    const file = files.newFile();
    const options = { file, notify: notifySettings(suite.sink.port), recipients: OPS, groupWaitSeconds: 1, log: memoryLog() };
    const first = await Notifier.open(options);
    await first.notify(['ops'], [notice({ series: 'host.a.cpu' }), notice({ series: 'host.b.cpu' })]);
    await first.close();
    await sleep(100);
    expect(suite.sink.received.length).toBe(before);
    const second = await Notifier.open(options);
    try {
      expect(second.stats().queued).toBe(2);
      await second.notify(['ops'], [notice({ series: 'host.c.cpu' })]);
      const [mail] = (await suite.sink.waitFor(before + 1)).slice(before);
      expect(mail.subject).toBe('[ringmon] 3 alarms: 3 CRITICAL');
      await until(() => second.stats().queued === 0 && second.stats().pending === 0, 'the outbox to empty');
    } finally {
      await second.close();
    }
  });
});
