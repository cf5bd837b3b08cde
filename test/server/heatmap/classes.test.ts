/** Colour classes: the class of a value, the query-string form, and the checks behind config and request errors. */
import { describe, expect, it } from 'vitest';
import { classLabels, classOf, classProblems, DEFAULT_SCALE, readClassText } from '../../../server/heatmap/classes.js';

describe('colour classes', () => {
  const classes = DEFAULT_SCALE.classes;
  it('puts each value in the first class whose max it does not pass; null and NaN in none', () => {
    expect([null, Number.NaN, -1, 0, 0.5, 1, 10, 10.01, 1e9].map((v) => classOf(classes, v))).toEqual([-1, -1, 0, 0, 1, 1, 1, 2, 2]);
  });

  it('reads MAX:RRGGBB lists, the last with *', () => {
    expect(readClassText('0:1F5FD6, 10:#f2c511 ,*:d7261e')).toEqual([
      { max: 0, colour: '#1f5fd6' },
      { max: 10, colour: '#f2c511' },
      { colour: '#d7261e' },
    ]);
    expect(readClassText('0:000000,0:111111,*:222222')).toMatch(/class 2: must be above/);
    expect(readClassText('0:000000,1:111111')).toMatch(/class 2: the last class/);
    expect(readClassText('*:000000,1:111111')).toMatch(/class 1: only the last/);
    expect(readClassText(Array(17).fill('*:000000').join(','))).toMatch(/at most 16/);
  });

  it('checks a list with the key at fault', () => {
    expect(classProblems([{ colour: 'red' }])).toEqual([[0, 'colour', 'must be a colour #rrggbb, got "red"']]);
    expect(classProblems([])).toEqual([[undefined, '', 'must list 1 to 16 classes, got 0']]);
  });

  it('labels classes by their bounds when they have no label', () => {
    expect(classLabels([{ max: 0, colour: '#000000' }, { max: 10, colour: '#000000' }, { colour: '#000000' }])).toEqual(['≤ 0', '0 < v ≤ 10', '> 10']);
  });
});
