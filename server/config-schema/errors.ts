/**
 * The configuration's one error. Loading collects every problem it finds
 * (unknown keys, wrong types, bad RRA strings, bad environment variables)
 * and throws them together, so an operator fixes the file in one pass; the
 * server does not start while any remain.
 */

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /**
   * Where: a key path (`listen.port`, `archives.rules[2].rras[1]`), the
   * environment variable that set the value (`RINGMON_LISTEN_PORT`), or ''
   * for the file as a whole (unreadable, not YAML).
   */
  readonly key: string;
  /** What is wrong and what would be right, e.g. `must be an integer between 1 and 65535, got "80x"`. */
  readonly message: string;
}

/** The configuration cannot be used. Callers branch on the class and print `message`, which lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    /** The config file's path as given; undefined when there was none (defaults and environment only). */
    readonly source: string | undefined,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatConfigProblems(source, problems));
  }
}

/** `key: message`, or just the message for a problem with the whole file. */
export function formatConfigProblem(problem: ConfigProblem): string {
  return problem.key === '' ? problem.message : `${problem.key}: ${problem.message}`;
}

function formatConfigProblems(source: string | undefined, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const where = source === undefined ? '' : ` in ${source}`;
  return [`invalid configuration${where} (${count}):`, ...problems.map((p) => `  ${formatConfigProblem(p)}`)].join('\n');
}

/** A key's place in the configuration: property names and list indexes, outermost first. */
export type KeyPath = readonly (string | number)[];

/** Receives one problem with the key it concerns; used by checks that keep going after the first. */
export type ReportProblem = (path: KeyPath, message: string) => void;

/** `['archives', 'rules', 2, 'rras', 1]` → `archives.rules[2].rras[1]`; odd key names are quoted: `listen["my key"]`. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/**
 * The names of a `notify` list (at `path`) that alarms.recipients does not
 * define, one problem each (`path[j]`). For the sections that name
 * recipients outside `alarms` (reports, nodes): a section's own check sees
 * only that section.
 */
export function unknownRecipientProblems(notify: readonly string[], path: KeyPath, known: ReadonlySet<string>): ConfigProblem[] {
  return notify.flatMap((name, j) => (known.has(name) ? [] : [{ key: formatKeyPath([...path, j]), message: `'${name}' is not in alarms.recipients` }]));
}
