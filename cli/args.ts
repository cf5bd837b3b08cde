/**
 * Command-line parsing on node's util.parseArgs, adjusted to rrdtool's
 * habits: option values may start with a dash (`--start -1d`, `-s -1h`),
 * which parseArgs would otherwise refuse as ambiguous, and options may come
 * before, between or after the positional arguments.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option of a command, as util.parseArgs declares it (the name is the key in OptionSpecs). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, as rrdtool's (`-b` for --start). */
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed options: a string for a string option, true for a boolean one, undefined when not given. */
export type OptionValues<O extends OptionSpecs> = { readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };

/** A parsed command line: options by name, and the positional arguments in order (options removed). */
export interface ParsedArgs<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

/** True when -h or --help appears before any `--`. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

/**
 * Joins `--name VALUE` and `-x VALUE` for string options into `--name=VALUE`,
 * so a VALUE starting with '-' is taken as the value, as rrdtool does.
 */
function joinStringValues(args: readonly string[], options: OptionSpecs): string[] {
  const longOf = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    longOf.set(`--${name}`, name);
    if (spec.short) longOf.set(`-${spec.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = longOf.get(arg);
    if (name !== undefined && i + 1 < args.length) {
      out.push(`--${name}=${args[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

function usageMessage(e: Error & { code?: string }): string {
  // Node words these as "Unknown option '--x'" and "Option '-s, --start <value>' argument missing".
  const option = /'(?:-\w, )?(-[^' ]*)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? e.message}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option && /argument missing/.test(e.message) ? `option '${option}' needs a value` : e.message;
    default:
      return e.message;
  }
}

/** Parses `args`; throws UsageError for unknown options or missing values. */
export function parseCommandArgs<O extends OptionSpecs>(args: readonly string[], options: O): ParsedArgs<O> {
  const joined = joinStringValues(args, options);
  const end = joined.indexOf('--');
  // parseArgs would read -60:5 as options -6, -0...; say what the user meant instead.
  const negative = (end < 0 ? joined : joined.slice(0, end)).find((arg) => /^-[\d.]/.test(arg));
  if (negative !== undefined) throw new UsageError(`'${negative}' starts with '-': put such arguments after '--'`);
  try {
    const { values, positionals } = parseArgs({
      args: joined,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    // parseArgs types its result from a literal config; ours is generic, and OptionValues states the same mapping.
    return { values: values as unknown as OptionValues<O>, positionals };
  } catch (e) {
    const code = (e as { code?: unknown } | undefined)?.code;
    if (e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(usageMessage(e));
    throw e;
  }
}

/** Checks the number of positional arguments, naming what is missing or extra. */
export function expectPositionals(positionals: readonly string[], names: readonly string[], variadic = false): void {
  if (positionals.length < names.length) throw new UsageError(`missing ${names[positionals.length]}`);
  if (!variadic && positionals.length > names.length) throw new UsageError(`unexpected argument '${positionals[names.length]}'`);
}
