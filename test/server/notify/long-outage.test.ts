/**
 * A relay down for a long time (issue 14): at least 20 refused connections
 * in a row must not use up the SMTP pool. Every queued notice goes out
 * within one retry interval once the relay is back, none twice, and
 * closing (SIGTERM in a real process) finishes promptly while it is down.
 */
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { freePort } from '../../helpers/free-port.js';
import { SmtpSink, type ReceivedMail } from '../../helpers/smtp-sink.js';
import { memoryLog, notice, notifySettings, sleep, tempFiles, until, type Recipients } from './helpers/fixtures.js';

const files = tempFiles();
const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

/** Seconds between attempts: short, so 20 refused connections take seconds, not minutes. */
const RETRY = 0.4;
/** What sending a message, recording it (fsync) and bundling the next costs on a loaded machine, beyond the retry interval. */
const SEND_ALLOWANCE_MS = 1500;
/** Two addresses: a stuck one must not hold back the other. */
const TWO: Recipients = [{ name: 'ops', email: ['ops@test.example', 'oncall@test.example'], webhook: [] }];

const seriesIn = (mails: readonly ReceivedMail[]): string[] => mails.flatMap((m) => [...m.text.matchAll(/^CRITICAL (long\.\d+) =/gm)].map((x) => x[1]));

describe('a relay down for 20 and more connection attempts', () => {
  it('delivers every queued notice once within one retry interval after it is back', async () => {
    const port = await freePort();
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(port, { retry: { initial: RETRY, max: RETRY } }), recipients: TWO, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice({ series: 'long.0' })]);
      // 20 refused connections per address (each attempt opens one), with newer notices queued behind the first.
      for (let i = 1; i <= 4; i++) {
        await until(() => notifier.stats().retries >= 10 * i, `${10 * i} failed attempts`, 30_000);
        await notifier.notify(['ops'], [notice({ series: `long.${i}` })]);
      }
      const [head] = (await notifier.list({ status: 'pending' })).slice(-1);
      expect(head.attempts).toBeGreaterThanOrEqual(20);
      expect(head.lastError).toMatch(/ECONNREFUSED/);

      const failedBefore = notifier.stats().retries;
      const smtp = await SmtpSink.start(port);
      sinks.push(smtp);
      const backAt = Date.now();
      await until(() => notifier.stats().pending + notifier.stats().queued === 0, 'every notice to be sent', 10_000);
      const tookMs = Math.max(...smtp.received.map((m) => m.acceptedAt)) - backAt;
      console.info(`relay back after ${head.attempts} failed attempts: every notice delivered ${tookMs} ms later (retry interval ${RETRY * 1000} ms)`);
      // The first attempt of each address after the relay is back succeeds (one may have been refused just before it listened).
      expect(notifier.stats().retries - failedBefore).toBeLessThanOrEqual(TWO[0].email.length);
      expect(tookMs).toBeLessThanOrEqual(RETRY * 1000 + SEND_ALLOWANCE_MS);

      await sleep(3 * RETRY * 1000); // nothing more may come
      const expected = ['long.0', 'long.1', 'long.2', 'long.3', 'long.4'];
      expect(seriesIn(smtp.received.filter((m) => m.envelopeTo.includes('ops@test.example'))).toSorted()).toEqual(expected);
      expect(seriesIn(smtp.received.filter((m) => m.envelopeTo.includes('oncall@test.example'))).toSorted()).toEqual(expected);
      const ids = smtp.received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      const rows = await notifier.list();
      expect(rows.length).toBe(smtp.received.length);
      expect(rows.every((r) => r.status === 'sent' && r.sentAt !== null)).toBe(true);
    } finally {
      await notifier.close();
    }
  }, 60_000);

  it('closes promptly while the relay is down', async () => {
    const port = await freePort();
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(port, { retry: { initial: RETRY, max: RETRY } }), recipients: TWO, groupWaitSeconds: 0, log: memoryLog() });
    await notifier.notify(['ops'], [notice({ series: 'long.0' })]);
    await until(() => notifier.stats().retries >= 20, '20 failed attempts', 30_000);
    await notifier.notify(['ops'], [notice({ series: 'long.1' })]);
    await sleep(RETRY * 1000);
    const started = Date.now();
    const closed = await Promise.race([notifier.close().then(() => true), sleep(5000).then(() => false)]);
    const tookMs = Date.now() - started;
    console.info(`close() with the relay down after 20 failed attempts: ${tookMs} ms`);
    expect(closed).toBe(true);
    expect(tookMs).toBeLessThan(1000);
  }, 60_000);

  it('ends a real process promptly on SIGTERM while the relay is down', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'close-on-term.ts'), files.newFile(), String(port), String(RETRY), '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the child did not see 20 failed attempts in 30 s')), 30_000);
        child.stdout?.on('data', (chunk: Buffer) => {
          if (!chunk.toString().includes('failing')) return;
          clearTimeout(timer);
          resolve();
        });
      });
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
      const tookMs = Date.now() - started;
      console.info(`SIGTERM → exit with the relay down after 20 failed attempts: ${tookMs} ms`);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(2000);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('a relay that answers a byte at a time, forever: each send gives up at its deadline, and close cuts it short', async () => {
    // It greets and answers EHLO, then dribbles a byte every 200 ms and never ends a reply: no idle timeout fires.
    const open = new Set<Socket>();
    let cut = 0;
    const dribbler = createServer((socket) => {
      open.add(socket);
      const drip = setInterval(() => socket.write('x'), 200);
      socket.on('close', () => {
        clearInterval(drip);
        open.delete(socket);
        cut++;
      });
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        if (/^EHLO/i.test(chunk.toString())) socket.write('250 dribbler\r\n');
      });
      socket.write('220 dribbler\r\n');
    });
    const port = await new Promise<number>((resolve) => dribbler.listen(0, '127.0.0.1', () => resolve((dribbler.address() as { port: number }).port)));
    const settings = notifySettings(port, { retry: { initial: RETRY, max: RETRY } });
    const notifier = await Notifier.open({ file: files.newFile(), notify: { ...settings, email: { ...settings.email!, timeout: 1 } }, recipients: TWO, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice({ series: 'long.0' })]);
      await until(() => notifier.stats().retries >= 2, 'two attempts to reach their deadline', 20_000);
      const [record] = await notifier.list({ status: 'pending' });
      expect(record.lastError).toMatch(/no answer from the relay within 3s/);
      // The connections given up on are closed, not left dribbling.
      await until(() => cut >= 2, 'the connections given up on to be closed');
      await until(() => open.size > 0, 'the next attempt to be connected');
      const started = Date.now();
      await notifier.close();
      const tookMs = Date.now() - started;
      console.info(`close() with a send stuck on a dribbling relay (timeout 1 s): ${tookMs} ms`);
      expect(tookMs).toBeLessThan(2000);
      await until(() => open.size === 0, 'every connection to be closed');
    } finally {
      await notifier.close();
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => dribbler.close(() => resolve()));
    }
  }, 60_000);
});
