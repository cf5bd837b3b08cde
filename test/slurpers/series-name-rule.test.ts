/**
 * One series-name rule for everyone (slurpers/contract.ts): a segment of
 * more than MAX_SEGMENT_LENGTH characters, which the store could never
 * write as a file, is refused alike by the slurper host (server slurpers
 * and agents), by the built-in formats' name cleaning, and by the server's
 * door (checkSeriesName, the ingest schema's SERIES_NAME_PATTERN).
 */
import { describe, expect, it } from 'vitest';
import { checkSeriesName } from '../../server/config-schema/index.js';
import { admitSamples } from '../../slurpers/builtin/formats/series-name.js';
import { isSeriesName, MAX_SEGMENT_LENGTH, SERIES_NAME_PATTERN } from '../../slurpers/contract.js';
import { checkCollectResult, GarbageResultError } from '../../slurpers/host/collect-result.js';

const NOW = 1_700_000_000;
const fits = `disk.${'d'.repeat(MAX_SEGMENT_LENGTH)}`;
const tooLong = `disk.${'d'.repeat(MAX_SEGMENT_LENGTH + 1)}`;

describe('the segment limit', () => {
  it('is the same in the contract, the host, the formats and the server', () => {
    expect(MAX_SEGMENT_LENGTH).toBe(200);
    expect([isSeriesName(fits), isSeriesName(tooLong)]).toEqual([true, false]);
    expect([new RegExp(SERIES_NAME_PATTERN).test(fits), new RegExp(SERIES_NAME_PATTERN).test(tooLong)]).toEqual([true, false]);
    expect(checkSeriesName(`web01.${fits}`)).toBeUndefined();
    expect(checkSeriesName(`web01.${tooLong}`)).toMatch(/segment of 201 characters; the limit is 200/);

    expect(checkCollectResult([{ series: fits, value: 1 }], 'web01', NOW).samples.map((s) => s.series)).toEqual([`web01.${fits}`]);
    expect(() => checkCollectResult([{ series: tooLong, value: 1 }], 'web01', NOW)).toThrow(GarbageResultError);

    const notes: string[] = [];
    expect(admitSamples([{ series: fits }, { series: tooLong }], 'web01', (why) => notes.push(why)).map((s) => s.series)).toEqual([fits]);
    expect(notes).toEqual([expect.stringMatching(/not a valid series name$/)]);
  });
});
