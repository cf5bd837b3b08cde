/** `ringmon archive update`: rrdtool update's TIME:value:value arguments, all applied as one update. */
import { parseTimeText, updateArchive, type Sample } from '../../archive/index.js';
import { defineCommand } from '../command.js';
import { CommandError } from '../errors.js';
import { parseTimeSpec, resolveTime } from '../time-spec.js';

const HELP = `Usage: ringmon archive update FILE [--template DS:DS...] TIME:VALUE[:VALUE...] ...

Adds samples to FILE, as rrdtool update does. All samples of one call are
checked before any is written: a bad value or a time not after the last
update refuses the whole call and leaves FILE unchanged.

  TIME    Unix seconds, with a fraction if wanted (1700000000.25); N for now;
          a negative number is seconds before now. rrdtool's at-style form
          TIME@VALUE:VALUE takes a time spec such as now-5min instead.
  VALUE   one per DS in definition order (or in --template order); U for unknown.
          COUNTER and DERIVE take integers; the other types any number.

Options:
  -t, --template DS:DS...   the DS names the values are for; DSs not named are unknown
  -h, --help                show this help

Examples:
  ringmon archive update load.rma N:0.42
  ringmon archive update eth0.rma 1700000000:1024:2048 1700000060:4096:U
  ringmon archive update eth0.rma -t out:in 1700000120:5000:4096
  ringmon archive update load.rma -- -60:0.5      (a value or time starting with '-' goes after --)
`;

/** Splits one TIME:VALUE... argument into a Sample; `index` numbers it in errors as the engine does. */
export function parseSampleArgument(arg: string, index: number, now: number): Sample {
  const at = `sample ${index}`;
  const atSign = arg.indexOf('@');
  const colon = arg.indexOf(':');
  if (atSign >= 0) {
    const time = resolveTime(parseTimeSpec(arg.slice(0, atSign), `${at}: time`), now, `${at}: time`);
    return { time, values: arg.slice(atSign + 1).split(':') };
  }
  if (colon < 0) throw new CommandError(`${at}: '${arg}' has no values (expected TIME:VALUE[:VALUE...])`);
  const timeText = arg.slice(0, colon);
  const values = arg.slice(colon + 1).split(':');
  if (timeText === 'N') return { time: now, values };
  // Read as rrdtool reads it, so a fraction lands on rrdtool's microsecond.
  const time = parseTimeText(timeText);
  if (time === undefined) throw new CommandError(`${at}: time '${timeText}' is not a number, N or an @-time`);
  // rrdtool reads a negative time as seconds before now.
  return { time: time < 0 ? now + time : time, values };
}

export const updateCommand = defineCommand({
  name: 'update',
  summary: 'add TIME:VALUE samples (rrdtool update)',
  help: HELP,
  options: {
    template: { type: 'string', short: 't' },
  },
  positionals: ['FILE', 'TIME:VALUE samples'],
  variadic: true,
  run({ values, positionals: [file, ...args] }, context) {
    const now = context.now();
    const samples = args.map((arg, i) => parseSampleArgument(arg, i, now));
    const template = values.template === undefined ? undefined : values.template.split(':');
    updateArchive(file, samples, { template });
  },
});
