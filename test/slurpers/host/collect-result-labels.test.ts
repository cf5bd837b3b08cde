/**
 * Labels on a slurper's samples (fields of the series' node): the host
 * passes them on as given, and refuses only what is not their shape (the
 * field rules are the server's: server/metadata/node-labels.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkCollectResult } from '../../../slurpers/host/collect-result.js';

const NOW = 1_700_000_000;

describe('checkCollectResult with labels', () => {
  it('keeps the labels of a sample', () => {
    const labels = { name: 'Broker one', site: 'ward-3', max_hours: 36, contacts: ['a@x.example'] };
    const { samples } = checkCollectResult([{ series: 'hours', value: 3, labels }, { series: 'other', value: 1 }], 'b01', NOW);
    expect(samples[0]).toEqual({ series: 'b01.hours', value: 3, time: NOW, labels });
    expect(samples[1]).not.toHaveProperty('labels');
  });

  it.each([
    [[{ series: 'a', value: 1, labels: 'Broker one' }], 'samples[0].labels: must be { field: value, ... }'],
    [[{ series: 'a', value: 1, labels: [1] }], 'samples[0].labels: must be { field: value, ... }'],
    [[{ series: 'a', value: 1, labels: { site: { ward: 3 } } }], 'samples[0].labels.site: must be a number, a string or a list of them'],
    [[{ series: 'a', value: 1, labels: { max_hours: Number.NaN } }], 'samples[0].labels.max_hours: must be a number, a string or a list of them'],
  ])('refuses labels that are not their shape: %j', (raw, message) => {
    expect(() => checkCollectResult(raw, 'b01', NOW)).toThrow(message);
  });
});
