/** `ringmon archive create`: rrdtool create's arguments, refusing to overwrite unless asked. */
import { existsSync } from 'node:fs';
import { createArchive, parseArchiveDefinition } from '../../archive/index.js';
import { defineCommand } from '../command.js';
import { CommandError } from '../errors.js';
import { parseDurationOption, parseTimeSpec, resolveTime } from '../time-spec.js';

const HELP = `Usage: ringmon archive create FILE [--start TIME] [--step STEP] [--overwrite] DS:... RRA:...

Creates the archive FILE with rrdtool create's arguments. Unlike rrdtool,
an existing FILE is never replaced unless --overwrite is given.

  DS:name:TYPE:heartbeat:min:max
      TYPE is GAUGE, COUNTER, DERIVE, ABSOLUTE, DCOUNTER or DDERIVE;
      heartbeat is seconds or a duration (10m); min and max are numbers or U.
  RRA:CF:xff:steps:rows
      CF is AVERAGE, MIN, MAX or LAST; 0 <= xff < 1; steps (PDPs per row) and
      rows are counts, or durations divided by the step (RRA:AVERAGE:0.5:1h:30d).
  Durations: 90s, 10m, 1h30m, 1d, with units ms s m h d w M y (M = 31 days,
  y = 366 days), as in ringmon's config (docs/configuration.md, Durations and sizes).

Options:
  -b, --start TIME    time of the (virtual) last update; default now-10s.
                      Unix seconds, now, or now-relative such as -1d (see 'ringmon archive fetch --help')
  -s, --step STEP     seconds per primary data point, or a duration (1m); default 300
      --overwrite     replace FILE if it exists
  -O, --no-overwrite  accepted for rrdtool compatibility; refusing is the default
  -h, --help          show this help

Examples:
  ringmon archive create load.rma --step 60 DS:load:GAUGE:2m:0:U RRA:AVERAGE:0.5:1:1d RRA:MAX:0.5:1h:1y
  ringmon archive create eth0.rma -b 1700000000 DS:in:COUNTER:600:0:U DS:out:COUNTER:600:0:U RRA:AVERAGE:0.5:1:288
`;

export const createCommand = defineCommand({
  name: 'create',
  summary: 'create an archive from DS: and RRA: definitions (rrdtool create)',
  help: HELP,
  options: {
    start: { type: 'string', short: 'b' },
    step: { type: 'string', short: 's' },
    overwrite: { type: 'boolean' },
    'no-overwrite': { type: 'boolean', short: 'O' },
  },
  positionals: ['FILE', 'DS:... and RRA:... definitions'],
  variadic: true,
  run({ values, positionals: [file, ...specs] }, context) {
    if (values.overwrite && values['no-overwrite']) throw new CommandError('--overwrite and --no-overwrite contradict each other');
    const step = values.step === undefined ? 300 : parseDurationOption(values.step, '--step');
    const start = values.start === undefined ? undefined : resolveTime(parseTimeSpec(values.start, '--start'), context.now(), '--start');
    const definition = parseArchiveDefinition(step, specs);
    // The engine refuses too; checking here words the refusal for the command line.
    if (!values.overwrite && existsSync(file)) throw new CommandError(`${file}: file exists; use --overwrite to replace it`);
    createArchive(file, definition, { start, overwrite: values.overwrite === true, now: context.now() });
  },
});
