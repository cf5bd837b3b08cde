/**
 * The shape of every `ringmon` command and the two ways to build one: a
 * leaf that parses its options and does one thing (defineCommand), and a
 * group that dispatches to an explicit list of commands (commandGroup).
 */
import { expectPositionals, parseCommandArgs, wantsHelp, type OptionSpecs, type ParsedArgs } from './args.js';
import { EXIT_OK, UsageError, describeFailure } from './errors.js';

/** What a command may use of its process, passed in so the clock and streams are explicit. */
export interface CliContext {
  /** The command as typed so far ("ringmon archive update"): the prefix of every error line. */
  readonly prog: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  /** Unix seconds, with a fraction. */
  now(): number;
}

/**
 * One command or command group. `run` gets the arguments after the
 * command's name and resolves to the exit code, having written any error
 * as one line on stderr; it rejects only for bugs (unexpected errors).
 */
export interface Command {
  readonly name: string;
  /** One line for the parent's --help. */
  readonly summary: string;
  run(args: readonly string[], context: CliContext): Promise<number>;
}

/** Writes an expected failure as one line and returns its exit code; rethrows anything else. */
function report(e: unknown, context: CliContext): number {
  const failure = describeFailure(e);
  if (!failure) throw e;
  context.stderr.write(`${context.prog}: ${failure.message}\n`);
  return failure.exitCode;
}

/**
 * A leaf command for defineCommand. `run` throws UsageError, CommandError,
 * ArchiveError or an fs error for expected failures (reported as one line);
 * anything else is treated as a bug.
 */
export interface LeafSpec<O extends OptionSpecs> {
  readonly name: string;
  readonly summary: string;
  /** The complete --help text: usage line, description, options, examples. */
  readonly help: string;
  readonly options: O;
  /** Names of the required positional arguments, for "missing FILE" messages. */
  readonly positionals: readonly string[];
  /** Whether more positionals than `positionals` are allowed (DS/RRA strings, samples). */
  readonly variadic?: boolean;
  run(args: ParsedArgs<O>, context: CliContext): void | Promise<void>;
}

/** A command that prints `help` for -h/--help and otherwise parses its arguments and runs. */
export function defineCommand<O extends OptionSpecs>(spec: LeafSpec<O>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args, context) {
      if (wantsHelp(args)) {
        context.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
        return EXIT_OK;
      }
      try {
        const parsed = parseCommandArgs(args, spec.options);
        expectPositionals(parsed.positionals, spec.positionals, spec.variadic);
        await spec.run(parsed, context);
        return EXIT_OK;
      } catch (e) {
        return report(e, context);
      }
    },
  };
}

/** A command group for commandGroup: its help text and the explicit list of its commands. */
export interface GroupSpec {
  readonly name: string;
  readonly summary: string;
  /** Text for --help between the usage line and the list of commands. */
  readonly description: string;
  /** Text after the list of commands, typically examples. */
  readonly footer?: string;
  readonly commands: readonly Command[];
}

/**
 * A command that runs one of `commands` by name. The list is checked when
 * the group is built: an empty or duplicate name throws at start-up.
 */
export function commandGroup(spec: GroupSpec): Command {
  const table = new Map<string, Command>();
  for (const command of spec.commands) {
    if (!/^[a-z][a-z0-9-]*$/.test(command.name)) throw new Error(`${spec.name}: invalid command name '${command.name}'`);
    if (table.has(command.name)) throw new Error(`${spec.name}: command '${command.name}' is registered twice`);
    table.set(command.name, command);
  }
  const names = [...table.keys()];
  const width = Math.max(...names.map((n) => n.length));
  const help = (prog: string): string =>
    [
      `Usage: ${prog} COMMAND [ARGS...]`,
      '',
      spec.description,
      '',
      'Commands:',
      ...spec.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      `Run '${prog} COMMAND --help' for a command's arguments and examples.`,
      ...(spec.footer ? ['', spec.footer] : []),
      '',
    ].join('\n');
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args, context) {
      const [first, ...rest] = args;
      if (first === '-h' || first === '--help') {
        context.stdout.write(help(context.prog));
        return EXIT_OK;
      }
      const command = first === undefined ? undefined : table.get(first);
      if (!command) {
        const problem = first === undefined ? 'missing command' : `unknown command '${first}'`;
        return report(new UsageError(`${problem}; one of ${names.join(', ')} (see ${context.prog} --help)`), context);
      }
      return command.run(rest, { ...context, prog: `${context.prog} ${command.name}` });
    },
  };
}
