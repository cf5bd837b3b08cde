import { describe, expect, it } from 'vitest';
import { spooledSample } from '../../../slurpers/agent/spooled-sample.js';

const T = 1_700_000_000;

describe('spooledSample', () => {
  it('leaves GAUGE out and keeps other kinds and offered thresholds', () => {
    const refused: string[] = [];
    const refuse = (series: string, why: string): void => void refused.push(`${series}: ${why}`);
    expect(spooledSample({ series: 'a.load', value: 0.5, time: T, kind: 'GAUGE' }, refuse)).toEqual({ series: 'a.load', t: T, v: 0.5 });
    expect(spooledSample({ series: 'a.cpu', value: 1.5, time: T, kind: 'DCOUNTER', thresholds: { warning: '10', critical: undefined } }, refuse)).toEqual({
      series: 'a.cpu',
      t: T,
      v: 1.5,
      kind: 'DCOUNTER',
      thresholds: { warning: '10' },
    });
    expect(refused).toEqual([]);
  });

  it('drops a threshold the server would refuse, keeping the sample and the other threshold', () => {
    const refused: string[] = [];
    const sample = spooledSample({ series: 'a.x', value: 1, time: T, thresholds: { warning: '', critical: '1:'.padEnd(65, '0') } }, (series, why) => void refused.push(`${series}: ${why}`));
    expect(sample).toEqual({ series: 'a.x', t: T, v: 1 });
    expect(refused).toEqual(['a.x: warning threshold must be 1 to 64 characters, got 0', 'a.x: critical threshold must be 1 to 64 characters, got 65']);
    const kept = spooledSample({ series: 'a.y', value: 1, time: T, thresholds: { warning: '', critical: '90' } }, () => {});
    expect(kept.thresholds).toEqual({ critical: '90' });
  });

  it('carries a message, even an empty one, and adds none to a sample without', () => {
    const refuse = (): void => {};
    expect(spooledSample({ series: 'a.state', value: 1, time: T, thresholds: { warning: '0', critical: '@2:2' }, message: 'WARNING: load high' }, refuse)).toEqual({
      series: 'a.state',
      t: T,
      v: 1,
      thresholds: { warning: '0', critical: '@2:2' },
      message: 'WARNING: load high',
    });
    expect(spooledSample({ series: 'a.state', value: 0, time: T, message: '' }, refuse)).toEqual({ series: 'a.state', t: T, v: 0, message: '' });
    expect(spooledSample({ series: 'a.load', value: 0.5, time: T }, refuse)).not.toHaveProperty('message');
  });
});
