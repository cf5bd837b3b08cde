/**
 * The `ringmon` command: one explicit list of subcommands. Later parts of
 * the system (serve, agent, downtime, token) add themselves to COMMANDS.
 */
import { agentCommand } from './agent-command.js';
import { alarmCommand } from './alarm-command.js';
import { archiveCommand } from './archive-command.js';
import { commandGroup, type CliContext, type Command } from './command.js';
import { configCommand } from './config-command.js';
import { downtimeCommand } from './downtime-command.js';
import { EXIT_FAILURE } from './errors.js';
import { initCommand } from './init-command.js';
import { rulesCommand } from './rules-command.js';
import { serveCommand } from './serve-command.js';
import { tokenCommand } from './token-command.js';

const COMMANDS: readonly Command[] = [initCommand, serveCommand, configCommand, archiveCommand, tokenCommand, downtimeCommand, alarmCommand, rulesCommand, agentCommand];

/** Built at import, so a duplicate or malformed command name stops the program at start-up. */
export const ringmon = commandGroup({
  name: 'ringmon',
  summary: 'monitoring system',
  description: 'ringmon: monitoring with rrdtool-compatible round-robin archives.',
  footer: [
    'Examples:',
    '  ringmon serve --config ringmon.yaml',
    '  ringmon archive create load.rma --step 60 DS:load:GAUGE:2m:0:U RRA:AVERAGE:0.5:1:1d',
    '  ringmon archive fetch load.rma AVERAGE --start -1h',
    '  ringmon archive --help',
  ].join('\n'),
  commands: COMMANDS,
});

/** Runs `ringmon` with the arguments after the program name; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const context: CliContext = {
    prog: 'ringmon',
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    now: () => Date.now() / 1000,
  };
  // A reader that goes away (ringmon archive dump f | head) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    return await ringmon.run(argv, context);
  } catch (e) {
    // Only bugs get here: every expected failure was reported as one line by its command.
    process.stderr.write(`ringmon: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
