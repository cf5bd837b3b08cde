/**
 * The target: p99 ≤ 2 s from notify() to the SMTP server accepting,
 * with groupWait 0. Measured over 100 notices, queued 20 ms apart and in one
 * burst, against a real SMTP server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, OPS, sleep, suiteSmtpSink, tempFiles, until } from './helpers/fixtures.js';

const files = tempFiles();
const suite = suiteSmtpSink();

/** notify() → accepted, in ms, for each of `count` notices queued `gapMs` apart. */
async function latencies(prefix: string, count: number, gapMs: number): Promise<number[]> {
  const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(suite.sink.port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
  const queuedAt = new Map<string, number>();
  try {
    for (let i = 0; i < count; i++) {
      const series = `${prefix}.${i}`;
      queuedAt.set(series, Date.now());
      await notifier.notify(['ops'], [notice({ series })]);
      if (gapMs > 0) await sleep(gapMs);
    }
    await until(() => notifier.stats().sent > 0 && notifier.stats().pending + notifier.stats().queued === 0, 'every notice to be sent');
  } finally {
    await notifier.close();
  }
  const found: number[] = [];
  for (const mail of suite.sink.received) {
    for (const match of mail.text.matchAll(new RegExp(`^CRITICAL (${prefix}\\.\\d+) =`, 'gm'))) found.push(mail.acceptedAt - (queuedAt.get(match[1]) ?? Number.NaN));
  }
  expect(found).toHaveLength(count);
  return found.toSorted((a, b) => a - b);
}

const p99 = (sorted: readonly number[]): number => sorted[Math.ceil(sorted.length * 0.99) - 1];

describe('latency, groupWait 0', () => {
  it('p99 ≤ 2 s for 100 notices 20 ms apart', async () => {
    const sorted = await latencies('spread', 100, 20);
    console.info(`notify→accepted, 100 notices 20 ms apart: p50 ${sorted[50]} ms, p99 ${p99(sorted)} ms`);
    expect(p99(sorted)).toBeLessThanOrEqual(2000);
  });

  it('p99 ≤ 2 s for 100 notices at once', async () => {
    const sorted = await latencies('burst', 100, 0);
    console.info(`notify→accepted, 100 notices in a burst: p50 ${sorted[50]} ms, p99 ${p99(sorted)} ms`);
    expect(p99(sorted)).toBeLessThanOrEqual(2000);
  });
});
