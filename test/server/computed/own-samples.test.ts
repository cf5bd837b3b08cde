/** The server's own samples (own-samples.ts): a refusal or failure logged once while it repeats, once more when writes succeed again, never thrown. */
import { describe, expect, it } from 'vitest';
import { OwnSampleWriter } from '../../../server/computed/own-samples.js';
import type { IngestResult, SampleSink } from '../../../server/store/index.js';

describe('own sample writer', () => {
  it('logs a repeated problem once, and the recovery', async () => {
    const lines: string[] = [];
    const log = { warn: (_: object, m: string) => lines.push(`warn ${m}`), info: (_: object, m: string) => lines.push(`info ${m}`) };
    let answer: () => Promise<IngestResult> = async () => ({ accepted: 0, rejected: [{ index: 0, series: 'x', reason: 'no room' }] });
    const sink: SampleSink = { ingest: () => answer() };
    const writer = new OwnSampleWriter(sink, log, 'computed series');
    const sample = [{ series: 'x', time: 1, value: 1 }];
    await writer.write(sample);
    await writer.write(sample);
    answer = async () => {
      throw new Error('journal full');
    };
    await writer.write(sample);
    await writer.write(sample);
    answer = async () => ({ accepted: 1, rejected: [] });
    await writer.write(sample);
    await writer.write(sample);
    expect(lines).toEqual([
      'warn computed series: samples refused by the store (logged once while it repeats)',
      'warn computed series: could not write (logged once while it repeats)',
      'info computed series: written again',
    ]);
  });
});
