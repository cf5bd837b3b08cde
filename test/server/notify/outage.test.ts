/**
 * The mail relay is down for a while: nothing is lost, and each notice
 * arrives exactly once after it returns, in order; also when ringmon is
 * closed and opened again meanwhile, and when its process is killed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { freePort } from '../../helpers/free-port.js';
import { memoryLog, notice, notifySettings, OPS, sleep, tempFiles, until } from './helpers/fixtures.js';
import { SmtpSink, type ReceivedMail } from '../../helpers/smtp-sink.js';

const files = tempFiles();
const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

/** Every series named in the subjects' single notices and the bodies' group listings, one entry per mention. */
function seriesIn(mails: readonly ReceivedMail[], prefix: string): string[] {
  return mails.flatMap((m) => m.text.match(new RegExp(`^\\S+(?: \\S+)* (${prefix.replace('.', '\\.')}\\.\\d+) =`, 'gm')) ?? []).map((line) => /(\S+) =$/.exec(line)?.[1] ?? '');
}

const idOf = (mail: ReceivedMail): number => Number(/^<ringmon-(\d+)@/.exec(mail.messageId)?.[1]);

describe('an SMTP server that is down', () => {
  it('keeps the notifications pending, retries them, and delivers each once when it is back', async () => {
    const port = await freePort();
    const log = memoryLog();
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(port), recipients: OPS, groupWaitSeconds: 0, log });
    try {
      for (let i = 0; i < 5; i++) {
        await notifier.notify(['ops'], [notice({ series: `down.${i}` })]);
        await sleep(30);
      }
      await until(() => notifier.stats().retries >= 3, 'three failed attempts');
      // The first message is retried; what came after it waits to go out with the next, not as one message each.
      const pending = await notifier.list({ status: 'pending' });
      expect(pending).toHaveLength(1);
      expect(pending[0].attempts).toBeGreaterThanOrEqual(2);
      expect(pending[0].lastError).toMatch(/ECONNREFUSED/);
      expect(pending[0].notices + notifier.stats().queued).toBe(5);
      expect(log.lines.some((l) => l.level === 'warn' && /retrying in \d+(\.\d)?s because/.test(l.msg))).toBe(true);

      const smtp = await SmtpSink.start(port);
      sinks.push(smtp);
      await until(() => notifier.stats().pending === 0, 'every notification to be sent');
      await sleep(1500); // longer than a retry interval: nothing more may come
      expect(seriesIn(smtp.received, 'down').toSorted()).toEqual(['down.0', 'down.1', 'down.2', 'down.3', 'down.4']);
      const ids = smtp.received.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(ids.toSorted((a, b) => a - b));
      expect((await notifier.list()).every((r) => r.status === 'sent' && r.sentAt !== null)).toBe(true);
    } finally {
      await notifier.close();
    }
  });

  it('delivers each once across a close and a reopen while it is down', async () => {
    const port = await freePort();
    const file = files.newFile();
    const options = { file, notify: notifySettings(port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() };
    const first = await Notifier.open(options);
    await first.notify(['ops'], [notice({ series: 'restart.0' }), notice({ series: 'restart.1' })]);
    await until(() => first.stats().retries >= 1, 'a failed attempt');
    await first.close();

    const second = await Notifier.open(options);
    try {
      expect(second.stats().pending).toBe(1);
      await second.notify(['ops'], [notice({ series: 'restart.2' })]);
      await until(() => second.stats().retries >= 1, 'a failed attempt after the restart');
      const smtp = await SmtpSink.start(port);
      sinks.push(smtp);
      await until(() => second.stats().pending === 0, 'every notification to be sent');
      await sleep(1500);
      expect(seriesIn(smtp.received, 'restart').toSorted()).toEqual(['restart.0', 'restart.1', 'restart.2']);
      expect(smtp.received).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('delivers each once after the process holding them is killed', async () => {
    const port = await freePort();
    const file = files.newFile();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'queue-then-hang.ts'), file, String(port), '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('queued') && resolve());
      child.once('exit', () => reject(new Error('the child exited before queueing')));
    });
    await sleep(300); // let it fail an attempt or two
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const smtp = await SmtpSink.start(port);
    sinks.push(smtp);
    const notifier = await Notifier.open({ file, notify: notifySettings(port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await until(() => notifier.stats().pending === 0 && notifier.stats().queued === 0, 'every notification to be sent');
      await sleep(300);
      expect(seriesIn(smtp.received, 'killed').toSorted()).toEqual(['killed.0', 'killed.1', 'killed.2', 'killed.3']);
    } finally {
      await notifier.close();
    }
  });
});
