/** Helpers for the host's tests: a logger that remembers, and slurpers that misbehave on purpose. */
import { defineSlurper, Type, type SlurperLogger } from '../../../slurpers/contract.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: object;
}

export function recordingLogger(): SlurperLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (a: object | string, b?: string): void => {
      lines.push(typeof a === 'string' ? { level, message: a } : { level, message: b ?? '', fields: a });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Returns `value` as one sample named `value`. */
export const constant = (value: number) =>
  defineSlurper({
    name: 'constant',
    description: 'One fixed value.',
    options: Type.Object({}),
    collect: async () => [{ series: 'value', value }],
  });

/** Never settles and ignores its signal: the worst a slurper can do to a deadline. */
export const hanging = defineSlurper({
  name: 'hanging',
  description: 'Never answers.',
  options: Type.Object({}),
  collect: () => new Promise(() => {}),
});

export const throwing = defineSlurper({
  name: 'throwing',
  description: 'Always fails.',
  options: Type.Object({}),
  collect: async () => {
    throw new Error('target unreachable: connection refused');
  },
});

export const garbage = defineSlurper({
  name: 'garbage',
  description: 'Returns what it should not.',
  options: Type.Object({}),
  // A JavaScript slurper has no compiler to stop it; the cast stands in for that.
  collect: async () => [{ series: 'bad name!', value: 'high' }] as unknown as [],
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
