/** Nagios ranges as the plugin development guidelines define them, and the comparisons rules may use instead. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thresholdRange } from '../../../server/alarms/config-section.js';
import { alerts, clearsWithMargin, describeBreach, describeRange, parseNagiosRange, parseThreshold, type NagiosRange } from '../../../server/alarms/nagios-range.js';

function range(text: string): NagiosRange {
  const parsed = parseThreshold(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const alerting = (text: string, values: readonly number[]): boolean[] => values.map((v) => alerts(range(text), v));

describe('parseNagiosRange', () => {
  // The guidelines' table: the range, values that alert, values that do not.
  const table: ReadonlyArray<readonly [string, readonly number[], readonly number[]]> = [
    ['10', [-0.001, -5, 10.001, 11, 1e9], [0, 5, 10]],
    ['10:', [9.999, 0, -10], [10, 11, 1e12]],
    ['~:10', [10.001, 11, 1e12], [10, 0, -1e12]],
    ['10:20', [9.99, 20.01, -1, 100], [10, 15, 20]],
    ['@10:20', [10, 15, 20], [9.99, 20.01, -1, 100]],
  ];
  it.each(table)('%s alerts as the guidelines table says', (text, alerting, quiet) => {
    const parsed = range(text);
    for (const value of alerting) expect(alerts(parsed, value), `${text} at ${value}`).toBe(true);
    for (const value of quiet) expect(alerts(parsed, value), `${text} at ${value}`).toBe(false);
  });

  it('reads the bounds, with infinities for ~ and an empty end', () => {
    expect(parseNagiosRange('10')).toEqual({ low: 0, high: 10, inside: false, text: '10' });
    expect(parseNagiosRange('10:')).toEqual({ low: 10, high: Infinity, inside: false, text: '10:' });
    expect(parseNagiosRange('~:10')).toEqual({ low: -Infinity, high: 10, inside: false, text: '~:10' });
    expect(parseNagiosRange('@10:20')).toEqual({ low: 10, high: 20, inside: true, text: '@10:20' });
    expect(parseNagiosRange('@~:')).toEqual({ low: -Infinity, high: Infinity, inside: true, text: '@~:' });
    // An empty start is Munin's "no lower bound".
    expect(parseNagiosRange(':10')).toMatchObject({ low: -Infinity, high: 10 });
  });

  it('reads negative, signed, decimal and exponent numbers', () => {
    expect(parseNagiosRange('-10:-5')).toMatchObject({ low: -10, high: -5 });
    expect(parseNagiosRange('@-1.5:2.5')).toMatchObject({ low: -1.5, high: 2.5, inside: true });
    expect(parseNagiosRange('~:-3')).toMatchObject({ low: -Infinity, high: -3 });
    expect(parseNagiosRange('.5:5.')).toMatchObject({ low: 0.5, high: 5 });
    expect(parseNagiosRange('+1:1e3')).toMatchObject({ low: 1, high: 1000 });
    expect(parseNagiosRange('2.5E-1')).toMatchObject({ low: 0, high: 0.25 });
    expect(alerting('-10:-5', [-10.5, -10, -7, -5, -4.9])).toEqual([true, false, false, false, true]);
    expect(alerting('@-1.5:2.5', [-1.6, -1.5, 0, 2.5, 2.6])).toEqual([false, true, true, true, false]);
  });

  it('trims surrounding blanks and keeps the trimmed text', () => {
    expect(parseNagiosRange('  @10:20 ')).toEqual({ low: 10, high: 20, inside: true, text: '@10:20' });
  });

  it('allows a range of one point', () => {
    expect(alerting('5:5', [4.99, 5, 5.01])).toEqual([true, false, true]);
  });

  it.each(['', '   ', '@', 'abc', '~', '~:~', '1:2:3', '10 :20', '0x10', 'Infinity', '10:abc', '5%', '1,5', '@@1:2', 'NaN'])(
    'refuses %j, naming it and the expected forms',
    (text) => {
      const problem = parseNagiosRange(text);
      expect(typeof problem).toBe('string');
      expect(problem).toContain(`'${text}' is not a Nagios range`);
      expect(problem).toContain('10:20');
    },
  );

  it('refuses a start above the end, saying which', () => {
    expect(parseNagiosRange('20:10')).toBe("'20:10': the start 20 is above the end 10");
    expect(parseNagiosRange('@5:-5')).toBe("'@5:-5': the start 5 is above the end -5");
    // A negative bare number is 0:-5.
    expect(parseNagiosRange('-5')).toBe("'-5': the start 0 is above the end -5");
  });

  it('reads back any range it writes', () => {
    // + 0 turns -0 into 0, which is what the text `0` reads back as.
    const bound = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0);
    fc.assert(
      fc.property(bound, bound, fc.boolean(), fc.boolean(), fc.boolean(), (a, b, inside, openLow, openHigh) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const text = `${inside ? '@' : ''}${openLow ? '~' : low}:${openHigh ? '' : high}`;
        expect(parseNagiosRange(text)).toEqual({ low: openLow ? -Infinity : low, high: openHigh ? Infinity : high, inside, text });
      }),
    );
  });
});

describe('parseThreshold', () => {
  it('reads comparisons as the ranges they stand for', () => {
    expect(parseThreshold('> 80')).toEqual({ low: -Infinity, high: 80, inside: false, text: '~:80' });
    expect(parseThreshold('< 5')).toEqual({ low: 5, high: Infinity, inside: false, text: '5:' });
    expect(parseThreshold('< 5 or > 80')).toEqual({ low: 5, high: 80, inside: false, text: '5:80' });
    expect(parseThreshold('> 80 or < 5')).toMatchObject({ low: 5, high: 80 });
    expect(parseThreshold('>80')).toMatchObject({ high: 80 });
    expect(parseThreshold('  <   -2.5 ')).toMatchObject({ low: -2.5, high: Infinity, text: '-2.5:' });
    expect(parseThreshold('> 1.5e2')).toMatchObject({ high: 150 });
  });

  it('alerts strictly beyond the bound, as the comparison reads', () => {
    expect(alerting('> 80', [79, 80, 80.0001])).toEqual([false, false, true]);
    expect(alerting('< 5', [4.9999, 5, 6])).toEqual([true, false, false]);
    expect(alerting('< 5 or > 80', [4, 5, 50, 80, 81])).toEqual([true, false, false, false, true]);
    expect(alerting('< 5 or > 5', [4, 5, 6])).toEqual([true, false, true]);
  });

  it('passes anything else to the Nagios range parser', () => {
    expect(parseThreshold('@10:20')).toEqual(parseNagiosRange('@10:20'));
    expect(parseThreshold('80')).toEqual(parseNagiosRange('80'));
    expect(parseThreshold('= 5')).toContain('is not a Nagios range');
  });

  it.each(['>', '> abc', '> 80 or', '> 80 or or < 5', '< 5 > 80', '> 80 and < 5', '> 0x10', '>> 5'])('refuses %j', (text) => {
    expect(parseThreshold(text)).toBe(`'${text}' is not a threshold: expected > N, < N or < N or > M`);
  });

  it('refuses the same comparison twice rather than keep one silently', () => {
    expect(parseThreshold('> 80 or > 90')).toBe("'> 80 or > 90' gives '>' twice: expected > N, < N or < N or > M");
    expect(parseThreshold('< 1 or < 2')).toBe("'< 1 or < 2' gives '<' twice: expected > N, < N or < N or > M");
  });

  it('refuses a lower bound above the upper one', () => {
    expect(parseThreshold('< 80 or > 5')).toBe("'< 80 or > 5': the lower bound 80 is above the upper bound 5");
  });

  it('takes a number from the config as Nagios does: 0 to N', () => {
    expect(thresholdRange(80)).toMatchObject({ low: 0, high: 80, inside: false });
    expect(thresholdRange(0.5)).toMatchObject({ low: 0, high: 0.5 });
    expect(thresholdRange('> 80')).toMatchObject({ low: -Infinity, high: 80 });
  });
});

describe('clearsWithMargin', () => {
  it('shrinks a range by the margin on its finite sides', () => {
    expect([74, 75, 75.1, 80].map((v) => clearsWithMargin(range('~:80'), v, 5))).toEqual([true, true, false, false]);
    expect([13, 12, 11.9, -5].map((v) => clearsWithMargin(range('10:'), v, 2))).toEqual([true, true, false, false]);
    expect([11.9, 12, 15, 18, 18.1].map((v) => clearsWithMargin(range('10:20'), v, 2))).toEqual([false, true, true, true, false]);
  });

  it('widens an inside range by the margin', () => {
    expect([7.9, 8, 10, 22, 22.1].map((v) => clearsWithMargin(range('@10:20'), v, 2))).toEqual([true, false, false, false, true]);
  });

  it('with no margin is exactly "does not alert"', () => {
    const bound = fc.integer({ min: -100, max: 100 });
    fc.assert(
      fc.property(bound, bound, fc.boolean(), fc.double({ min: -200, max: 200, noNaN: true }), (a, b, inside, value) => {
        const r = range(`${inside ? '@' : ''}${Math.min(a, b)}:${Math.max(a, b)}`);
        expect(clearsWithMargin(r, value, 0)).toBe(!alerts(r, value));
      }),
    );
  });

  it('never clears a value that alerts, whatever the margin', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (low, width, value, margin) => {
        for (const r of [range(`${low}:${low + width}`), range(`@${low}:${low + width}`)]) {
          if (alerts(r, value)) expect(clearsWithMargin(r, value, margin)).toBe(false);
        }
      }),
    );
  });
});

describe('describeRange', () => {
  it('words each form of range as describeBreach words its breaches', () => {
    expect(describeRange(range('~:1'))).toBe('> 1');
    expect(describeRange(range('3600:'))).toBe('< 3600');
    expect(describeRange(range('5:80'))).toBe('< 5 or > 80');
    expect(describeRange(range('80'))).toBe('< 0 or > 80');
    expect(describeRange(range('< 5 or > 80'))).toBe('< 5 or > 80');
    expect(describeRange(range('@10:20'))).toBe('inside 10:20');
    expect(describeRange(range('~:'))).toBe('never');
  });

  it('holds every bound that a breach of the range is described by', () => {
    for (const [text, value] of [['~:80', 81], ['10:', 9], ['10:20', 25], ['10:20', 5], ['-5:-1', -7.5]] as const) {
      expect(describeRange(range(text))).toContain(describeBreach(range(text), value));
    }
  });
});

describe('describeBreach', () => {
  it('names the bound a value broke', () => {
    expect(describeBreach(range('~:80'), 81)).toBe('> 80');
    expect(describeBreach(range('10:'), 9)).toBe('< 10');
    expect(describeBreach(range('10:20'), 25)).toBe('> 20');
    expect(describeBreach(range('10:20'), 5)).toBe('< 10');
    expect(describeBreach(range('-5:-1'), -7.5)).toBe('< -5');
    expect(describeBreach(range('< 5 or > 80'), 90)).toBe('> 80');
  });

  it('names an inside range as written, without the @', () => {
    expect(describeBreach(range(' @10:20'), 15)).toBe('inside 10:20');
    expect(describeBreach(range('@~:0'), -3)).toBe('inside ~:0');
  });

  it('names the nearer bound for a value held by hysteresis inside the range', () => {
    expect(describeBreach(range('~:80'), 78)).toBe('> 80');
    expect(describeBreach(range('10:'), 11)).toBe('< 10');
    expect(describeBreach(range('10:20'), 11)).toBe('< 10');
    expect(describeBreach(range('10:20'), 19)).toBe('> 20');
  });
});

describe('describeRange', () => {
  it('says a whole range in the words of a breach, as the history and notices do', () => {
    const said = ['~:1', '3600:', '5:80', '80', '< 5 or > 80', '> 0.5', '~:'].map((t) => describeRange(range(t)));
    expect(said).toEqual(['> 1', '< 3600', '< 5 or > 80', '< 0 or > 80', '< 5 or > 80', '> 0.5', 'never']);
    expect(describeRange(range('@10:20'))).toBe('inside 10:20');
  });

  it('names each bound a breach of it would name', () => {
    for (const text of ['~:80', '10:', '10:20', '-5:-1']) {
      const r = range(text);
      const breaches = [r.low - 1, r.high + 1].filter(Number.isFinite).map((v) => describeBreach(r, v));
      expect(describeRange(r).split(' or ')).toEqual(breaches);
    }
  });
});
