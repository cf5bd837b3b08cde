/**
 * Nagios threshold ranges, as the plugin development guidelines define them
 * and as check plugins print them in perfdata:
 *
 *   10       alert when v < 0 or v > 10
 *   10:      alert when v < 10
 *   ~:10     alert when v > 10
 *   10:20    alert when v < 10 or v > 20
 *   @10:20   alert when 10 ≤ v ≤ 20 (inside)
 *
 * Endpoints are inclusive on the side that does not alert: `~:10` does not
 * alert at 10. Rules may also say `> 80`, `< 5` or `< 5 or > 80`, which
 * are `~:80`, `5:` and `5:80`.
 */

export interface NagiosRange {
  /** -Infinity for `~` or an empty start. */
  readonly low: number;
  /** Infinity for an empty end. */
  readonly high: number;
  /** `@`: alert inside [low, high] instead of outside. */
  readonly inside: boolean;
  /** The range as written (normalised for the `{above, below}` form). */
  readonly text: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The range `text` stands for, or the problem with it as a message. */
export function parseNagiosRange(text: string): NagiosRange | string {
  const trimmed = text.trim();
  const inside = trimmed.startsWith('@');
  const body = inside ? trimmed.slice(1) : trimmed;
  if (body === '') return `'${text}' is not a Nagios range: expected 10, 10:, ~:10, 10:20 or @10:20`;
  const colon = body.indexOf(':');
  const startText = colon === -1 ? '0' : body.slice(0, colon);
  const endText = colon === -1 ? body : body.slice(colon + 1);
  const low = startText === '~' || startText === '' ? -Infinity : NUMBER.test(startText) ? Number(startText) : NaN;
  const high = endText === '' ? Infinity : NUMBER.test(endText) ? Number(endText) : NaN;
  if (Number.isNaN(low) || Number.isNaN(high) || (colon === -1 && endText === '')) {
    return `'${text}' is not a Nagios range: expected 10, 10:, ~:10, 10:20 or @10:20`;
  }
  if (low > high) return `'${text}': the start ${low} is above the end ${high}`;
  return { low, high, inside, text: trimmed };
}

const COMPARISON = /^\s*([<>])\s*(\S+)\s*$/;

/** A threshold as a rule gives it: a Nagios range or one or two comparisons (`> 80`, `< 5 or > 80`). */
export function parseThreshold(text: string): NagiosRange | string {
  if (!/^\s*[<>]/.test(text)) return parseNagiosRange(text);
  let low = -Infinity;
  let high = Infinity;
  for (const part of text.split(/\bor\b/)) {
    const match = COMPARISON.exec(part);
    const bound = match && NUMBER.test(match[2]) ? Number(match[2]) : NaN;
    if (!match || Number.isNaN(bound)) return `'${text}' is not a threshold: expected > N, < N or < N or > M`;
    // A second `>` (or `<`) would silently replace the first; which one was meant is the writer's to say.
    if (match[1] === '>' ? high !== Infinity : low !== -Infinity) return `'${text}' gives '${match[1]}' twice: expected > N, < N or < N or > M`;
    if (match[1] === '>') high = bound;
    else low = bound;
  }
  if (low > high) return `'${text}': the lower bound ${low} is above the upper bound ${high}`;
  return { low, high, inside: false, text: `${low === -Infinity ? '~' : low}:${high === Infinity ? '' : high}` };
}

/** Whether `value` is out of the range, in Nagios' sense (alerts). */
export function alerts(range: NagiosRange, value: number): boolean {
  const within = value >= range.low && value <= range.high;
  return range.inside ? within : !within;
}

/**
 * Whether `value` is clearly back, `margin` away from alerting: the range
 * shrunk (or, for `@`, widened) by the margin on its finite sides. This is
 * the hysteresis of a rule: an alarm raised by `~:80` with margin 5 clears
 * at 75 or below, not at 79.
 */
export function clearsWithMargin(range: NagiosRange, value: number, margin: number): boolean {
  if (range.inside) return value < range.low - margin || value > range.high + margin;
  return value >= range.low + margin && value <= range.high - margin;
}

/**
 * What a value broke, for messages: `> 80`, `< 5`, `inside 10:20`. A value
 * that does not alert (an alarm held by hysteresis) is described by the
 * bound it is nearer to, since that is the one it broke and has not yet
 * cleared.
 */
export function describeBreach(range: NagiosRange, value: number): string {
  if (range.inside) return `inside ${range.text.slice(1)}`;
  if (value > range.high) return `> ${range.high}`;
  if (value < range.low) return `< ${range.low}`;
  return range.high - value <= value - range.low ? `> ${range.high}` : `< ${range.low}`;
}

/**
 * The whole range in the words describeBreach uses, for showing a rule's
 * threshold (`~:80` → `> 80`, `5:` → `< 5`, `5:80` → `< 5 or > 80`,
 * `@10:20` → `inside 10:20`): so a page, a mail and the history name a
 * threshold one way. A range that cannot alert (`~:`) is `never`.
 */
export function describeRange(range: NagiosRange): string {
  if (range.inside) return `inside ${range.text.slice(1)}`;
  const below = range.low === -Infinity ? null : `< ${range.low}`;
  const above = range.high === Infinity ? null : `> ${range.high}`;
  return [below, above].filter((s) => s !== null).join(' or ') || 'never';
}
