/** `ringmon archive restore`: an archive from rrdtool dump XML, with progress on stderr. */
import { existsSync } from 'node:fs';
import { archiveInfo, restoreArchive } from '../../archive/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { CommandError } from '../errors.js';

const HELP = `Usage: ringmon archive restore DUMP.xml FILE [--overwrite] [--progress]

Builds the archive FILE from rrdtool dump XML (dump format versions 0001 to
0005, as written by rrdtool dump or 'ringmon archive dump'). DUMP.xml may be
- for stdin. FILE is written atomically: if the dump is bad, nothing is left
at FILE. COMPUTE data sources and Holt-Winters RRAs cannot be restored.

Progress (rows read) goes to stderr when stderr is a terminal or with
--progress; a one-line summary follows on stderr.

Options:
      --overwrite   replace FILE if it exists (the default is to refuse)
      --progress    show progress even when stderr is not a terminal
  -h, --help        show this help

Examples:
  ringmon archive restore load.xml load.rma
  rrdtool dump load.rrd | ringmon archive restore - load.rma
`;

/** How often progress is shown: a terminal line is redrawn, a log gets a line. */
const TTY_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 1000;

function progressReporter(context: CliContext, force: boolean): { update(rows: number): void; done(): void } {
  const tty = context.stderr.isTTY === true;
  if (!tty && !force) return { update() {}, done() {} };
  let last = -Infinity;
  let drawn = false;
  return {
    update(rows) {
      const now = Date.now();
      if (now - last < (tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS)) return;
      last = now;
      const text = `${context.prog}: ${rows} rows read`;
      context.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
      drawn = true;
    },
    done() {
      if (tty && drawn) context.stderr.write('\r\x1b[K');
    },
  };
}

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'build an archive from rrdtool dump XML (rrdtool restore)',
  help: HELP,
  options: {
    overwrite: { type: 'boolean' },
    progress: { type: 'boolean' },
  },
  positionals: ['DUMP.xml', 'FILE'],
  async run({ values, positionals: [dump, file] }, context) {
    // Checked before reading so that a long restore does not end in this refusal.
    if (!values.overwrite && existsSync(file)) throw new CommandError(`${file}: file exists; use --overwrite to replace it`);
    const progress = progressReporter(context, values.progress === true);
    try {
      await restoreArchive(dump === '-' ? context.stdin : dump, file, {
        overwrite: values.overwrite === true,
        onProgress: (rows) => progress.update(rows),
      });
    } finally {
      progress.done();
    }
    const info = archiveInfo(file);
    const rows = info.rra.reduce((sum, rra) => sum + rra.rows, 0);
    const from = dump === '-' ? 'stdin' : dump;
    context.stderr.write(`restored ${file} from ${from}: ${info.ds.length} DS, ${info.rra.length} RRAs, ${rows} rows\n`);
  },
});
