/** `ringmon archive reshape`: new step, RRAs or heartbeats for existing archives, keeping their history. */
import {
  openArchive,
  parseDataSource,
  parseRra,
  reshapeArchive,
  reshapedDefinition,
  type ArchiveDefinition,
  type DataSourceDefinition,
} from '../../archive/index.js';
import { InvalidDefinitionError } from '../../archive/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { CommandError, UsageError, describeFailure } from '../errors.js';
import { parseDurationOption } from '../time-spec.js';
import { expandFileArguments } from './reshape-files.js';

const HELP = `Usage: ringmon archive reshape FILE... [RRA:... | --retentions LIST] [--step STEP]
                              [--heartbeat HB] [DS:...] [--progress]

Gives each archive FILE a new definition and keeps its history: every new
row is re-consolidated from the old RRAs (an RRA of the same resolution and
CF is copied; otherwise the finest old RRA covering the row's time, with the
new RRA's CF: AVERAGE weighted by time, MIN/MAX/LAST as named; a row more
unknown than its xff allows is UNKNOWN). The last update, the last values and
the point in progress are carried, so updates continue where they stopped.
Each FILE is rewritten atomically (new file beside it, synced, renamed over
it): an interruption leaves the old archive or the new one, never neither.
Stop the server (or anything updating FILE) first; its updates meanwhile
would be lost. rrdtool has only tune (heartbeat, min, max) and resize.

What changes (anything not given stays as it is):
  RRA:CF:xff:steps:rows  the complete new list of RRAs, as for 'ringmon archive
                      create' (durations are divided by the new step)
      --retentions LIST   Graphite retentions instead, such as 10s:1d,1m:30d,1h:1y:
                      one RRA per CF the archive has and retention, xff 0.5
  -s, --step STEP     the new step, seconds or a duration (1m). Without RRA:
                      or --retentions each RRA keeps the time it covers, its
                      rows rounded up to whole steps; without --heartbeat each
                      heartbeat scales with the step (10 s/20 s becomes 60 s/120 s)
      --heartbeat HB  every data source's heartbeat, seconds or a duration
  DS:name:TYPE:heartbeat:min:max
                      one data source's new heartbeat, min and max; its name
                      and TYPE must be the archive's (a reshape keeps them)

FILE may be a pattern (data/*.rma) when the shell did not expand it.
With several files, progress goes to stderr (on a terminal, or with
--progress), a failed file is reported on one line and the others go on;
the exit code is 1 if any failed.

Options:
      --progress      show progress even when stderr is not a terminal
  -h, --help          show this help

Examples:
  ringmon archive reshape load.rma --step 1m
  ringmon archive reshape load.rma --step 60 RRA:AVERAGE:0.5:1:2d RRA:MAX:0.5:1h:1y
  ringmon archive reshape 'data/*.rma' --retentions 1m:2d,10m:30d,1h:1y --progress
`;

interface Changes {
  readonly step?: number;
  readonly rraSpecs: readonly string[];
  readonly dsSpecs: readonly DataSourceDefinition[];
  readonly retentions?: string;
  readonly heartbeat?: number;
}

function readDefinition(file: string): ArchiveDefinition {
  const archive = openArchive(file);
  try {
    return archive.definition;
  } finally {
    archive.close();
  }
}

/** The definition `file` gets: RRA strings read against its new step, then DS: overrides. */
function newDefinition(old: ArchiveDefinition, changes: Changes): ArchiveDefinition {
  const step = changes.step ?? old.step;
  const rras = changes.rraSpecs.length > 0 ? changes.rraSpecs.map((spec) => parseRra(spec, step)) : undefined;
  const base = reshapedDefinition(old, { step, rras, retentions: changes.retentions, heartbeat: changes.heartbeat });
  if (changes.dsSpecs.length === 0) return base;
  const dataSources = base.dataSources.map((ds) => changes.dsSpecs.find((given) => given.name === ds.name) ?? ds);
  const unknown = changes.dsSpecs.find((given) => !base.dataSources.some((ds) => ds.name === given.name));
  if (unknown) throw new InvalidDefinitionError(`DS:${unknown.name}: not a data source of the archive (${base.dataSources.map((ds) => ds.name).join(', ')})`);
  return reshapedDefinition({ ...base, dataSources }, { rras: base.rras });
}

function describe(file: string, before: ArchiveDefinition, after: ArchiveDefinition, known: number): string {
  const heartbeats = (def: ArchiveDefinition): string => [...new Set(def.dataSources.map((ds) => ds.heartbeat))].join('/');
  return (
    `reshaped ${file}: step ${before.step} s -> ${after.step} s, heartbeat ${heartbeats(before)} s -> ${heartbeats(after)} s, ` +
    `${before.rras.length} -> ${after.rras.length} RRAs, ${known} known values kept\n`
  );
}

function progressReporter(context: CliContext, total: number, force: boolean): { update(done: number): void; done(): void } {
  const tty = context.stderr.isTTY === true;
  if (total < 2 || (!tty && !force)) return { update() {}, done() {} };
  let last = -Infinity;
  return {
    update(done) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 1000) && done < total) return;
      last = now;
      const text = `${context.prog}: ${done}/${total} files`;
      context.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
    },
    done() {
      if (tty) context.stderr.write('\r\x1b[K');
    },
  };
}

export const reshapeCommand = defineCommand({
  name: 'reshape',
  summary: 'give archives a new step, RRAs or heartbeat, keeping their history',
  help: HELP,
  options: {
    step: { type: 'string', short: 's' },
    retentions: { type: 'string' },
    heartbeat: { type: 'string' },
    progress: { type: 'boolean' },
  },
  positionals: ['FILE'],
  variadic: true,
  run({ values, positionals }, context) {
    const rraSpecs = positionals.filter((p) => p.startsWith('RRA:'));
    const dsSpecs = positionals.filter((p) => p.startsWith('DS:')).map(parseDataSource);
    const fileArgs = positionals.filter((p) => !p.startsWith('RRA:') && !p.startsWith('DS:'));
    if (fileArgs.length === 0) throw new UsageError('missing FILE');
    if (rraSpecs.length > 0 && values.retentions !== undefined) throw new UsageError('RRA:... and --retentions contradict each other; give one');
    const changes: Changes = {
      step: values.step === undefined ? undefined : parseDurationOption(values.step, '--step'),
      heartbeat: values.heartbeat === undefined ? undefined : parseDurationOption(values.heartbeat, '--heartbeat'),
      retentions: values.retentions,
      rraSpecs,
      dsSpecs,
    };
    const files = expandFileArguments(fileArgs);
    if (files.length === 1) {
      const before = readDefinition(files[0]);
      const result = reshapeArchive(files[0], newDefinition(before, changes));
      context.stderr.write(describe(files[0], result.before, result.after, result.knownValues));
      return;
    }
    const progress = progressReporter(context, files.length, values.progress === true);
    let failed = 0;
    files.forEach((file, i) => {
      try {
        reshapeArchive(file, newDefinition(readDefinition(file), changes));
      } catch (e) {
        const failure = describeFailure(e);
        if (!failure) throw e;
        failed++;
        progress.done();
        context.stderr.write(`${context.prog}: ${file}: ${failure.message.startsWith(file) ? failure.message.slice(file.length).replace(/^:\s*/, '') : failure.message}\n`);
      }
      progress.update(i + 1);
    });
    progress.done();
    context.stderr.write(`reshaped ${files.length - failed} of ${files.length} files\n`);
    if (failed > 0) throw new CommandError(`${failed} of ${files.length} files were not reshaped (see above)`);
  },
});
