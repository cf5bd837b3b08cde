/**
 * The `where` of a computed count or percent: when a member's value counts.
 *
 *   >= N  > N  <= N  < N  == N (or = N)  != N    a comparison with N
 *   anything else                                 a threshold as alarm rules
 *                                                 write it (alarms/nagios-range.ts):
 *                                                 holds where such a rule would
 *                                                 alert, so `< 5 or > 80` holds
 *                                                 outside 5..80, `@10:20` inside
 */
import { alerts, parseThreshold } from '../alarms/nagios-range.js';

/** A parsed condition. */
export interface Condition {
  /** As written. */
  readonly text: string;
  /** Whether `value` (a known, finite number) satisfies it. */
  holds(value: number): boolean;
}

const COMPARISON = /^\s*(>=|<=|==|!=|=|>|<)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;
const TESTS: Record<string, (v: number, n: number) => boolean> = {
  '>=': (v, n) => v >= n,
  '<=': (v, n) => v <= n,
  '==': (v, n) => v === n,
  '=': (v, n) => v === n,
  '!=': (v, n) => v !== n,
  '>': (v, n) => v > n,
  '<': (v, n) => v < n,
};
const EXPECTED_FORMS = 'expected a comparison (>= 1, > 0, == 6, != 0, < 5) or an alarm threshold (< 5 or > 80, @10:20)';

/** The condition `text` stands for, or the problem with it as a message. */
export function parseCondition(text: string): Condition | string {
  const comparison = COMPARISON.exec(text);
  if (comparison) {
    const test = TESTS[comparison[1]];
    const bound = Number(comparison[2]);
    return { text, holds: (v) => test(v, bound) };
  }
  // `=>`, `>=` without a number, words: not a threshold either; say what is expected rather than the range parser's message.
  if (/^\s*[<>=!]/.test(text) && !/^\s*[<>]\s*[\d+.-]/.test(text)) return `'${text}': ${EXPECTED_FORMS}`;
  const range = parseThreshold(text);
  if (typeof range === 'string') return `'${text}': ${EXPECTED_FORMS}`;
  return { text, holds: (v) => alerts(range, v) };
}
