/**
 * A small path language for JSON documents, and series-name templates that
 * name what a path matched. Written here rather than taken from jsonpath-plus
 * because the slurper needs only selection with wildcards plus the key each
 * wildcard took (for series names); filter expressions, which jsonpath-plus
 * evaluates as script, would only widen what a config can do.
 *
 *     path      := ['$'] step*          the first '.' may be left out
 *     step      := '.' name | '.*' | '[*]' | '[' index ']' | '["key"]' | "['key']"
 *     template  := text with {1} (key or index the 1st wildcard took),
 *                  {1.path} (a field of the element it took), and
 *                  {path} (a field of the element the last wildcard took)
 *
 * `nodes[*].load` with name `node.{name}.load` gives `node.<the node's name>.load`.
 */
import { seriesSegment } from './series-name.js';

export type Step = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

export interface PathMatch {
  /** The value found; undefined when the element a wildcard took lacks the rest of the path. */
  readonly value: unknown;
  /** Per wildcard, in order: the key or index it took, and the element. */
  readonly keys: readonly string[];
  readonly elements: readonly unknown[];
}

/** Compiles a path; throws an Error naming the path and the position at fault. */
export function compilePath(path: string): Step[] {
  const steps: Step[] = [];
  let rest = path.startsWith('$') ? path.slice(1) : path;
  const fail = (why: string): never => {
    throw new Error(`path ${JSON.stringify(path)}: ${why} at ${JSON.stringify(rest.slice(0, 20))}`);
  };
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  while (rest !== '') {
    let m: RegExpExecArray | null;
    if ((m = /^\.\*|^\[\*\]/u.exec(rest))) steps.push({ wildcard: true });
    else if ((m = /^\.([^.[\]'"*]+)/u.exec(rest))) steps.push({ key: m[1] });
    else if ((m = /^\[(\d+)\]/u.exec(rest))) steps.push({ index: Number(m[1]) });
    else if ((m = /^\["((?:[^"\\]|\\.)*)"\]/u.exec(rest))) steps.push({ key: JSON.parse(`"${m[1]}"`) as string });
    else if ((m = /^\['((?:[^'\\]|\\.)*)'\]/u.exec(rest))) steps.push({ key: m[1].replace(/\\(.)/gu, '$1') });
    else fail('expected .name, [*], [index] or ["key"]');
    rest = rest.slice(m![0].length);
  }
  return steps;
}

function child(value: unknown, step: Step): unknown {
  if ('index' in step) return Array.isArray(value) ? value[step.index] : undefined;
  if ('key' in step && value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, step.key)) {
    return (value as Record<string, unknown>)[step.key];
  }
  return undefined;
}

/**
 * Everything the path selects. Steps after the last wildcard that find
 * nothing still give a match (value undefined), so a caller can report
 * "this node has no state" instead of losing the node.
 */
export function evaluatePath(root: unknown, steps: readonly Step[]): PathMatch[] {
  let matches: PathMatch[] = [{ value: root, keys: [], elements: [] }];
  const lastWildcard = steps.findLastIndex((s) => 'wildcard' in s);
  for (const [i, step] of steps.entries()) {
    const next: PathMatch[] = [];
    for (const m of matches) {
      if ('wildcard' in step) {
        const entries = Array.isArray(m.value) ? m.value.map((v, k) => [String(k), v] as const)
          : m.value !== null && typeof m.value === 'object' ? Object.entries(m.value) : [];
        for (const [k, v] of entries) next.push({ value: v, keys: [...m.keys, k], elements: [...m.elements, v] });
      } else {
        const value = m.value === undefined ? undefined : child(m.value, step);
        if (value !== undefined || (lastWildcard >= 0 && i > lastWildcard)) next.push({ ...m, value });
      }
    }
    matches = next;
  }
  return matches;
}

/** The series name a template gives for a match, or the reason it cannot be made. */
export function expandTemplate(template: string, match: PathMatch): { name: string } | { problem: string } {
  let problem: string | undefined;
  const name = template.replace(/\{([^{}]+)\}/gu, (_, ref: string) => {
    const m = /^(\d+)(?:\.(.+))?$/u.exec(ref);
    const n = m ? Number(m[1]) : match.keys.length;
    if (n < 1 || n > match.keys.length) {
      problem ??= `{${ref}} refers to wildcard ${n}, but the path has ${match.keys.length}`;
      return '_';
    }
    const fieldPath = m ? m[2] : ref;
    if (fieldPath === undefined) return seriesSegment(match.keys[n - 1]);
    const [found] = evaluatePath(match.elements[n - 1], compilePath(fieldPath));
    const v = found?.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      problem ??= `{${ref}} is not a string or number in element ${match.keys[n - 1]}`;
      return '_';
    }
    return seriesSegment(String(v));
  });
  return problem === undefined ? { name } : { problem };
}
