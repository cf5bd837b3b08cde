/** `ringmon archive fetch`: rrdtool fetch's query, printed as JSON. */
import { CONSOLIDATION_FUNCTIONS, fetchArchive, EARLIEST_START, type ConsolidationFunction } from '../../archive/index.js';
import { defineCommand } from '../command.js';
import { CommandError, UsageError } from '../errors.js';
import { parseDurationOption, parseTimeSpec, resolveStartEnd } from '../time-spec.js';

const HELP = `Usage: ringmon archive fetch FILE CF [--start TIME] [--end TIME] [--resolution SECONDS] [--align-start]

Prints the rows rrdtool fetch would print, as one line of JSON:
  {"start":S,"end":E,"step":R,"ds":["a","b"],"rows":[[t,v1,v2],...]}
with null for unknown values. The RRA is chosen as rrdtool chooses it; start
and end are rounded to its step, and rows run from start+step to end.

  CF      AVERAGE, MIN, MAX or LAST

Options:
  -s, --start TIME         default end-1d
  -e, --end TIME           default now
  -r, --resolution SECS    wanted seconds per row, or a duration (1h); default 1 (the finest)
  -a, --align-start        move start (and end) back to a multiple of the resolution
  -h, --help               show this help

Times:
  1700000000          Unix seconds
  now, N              the current time
  -1d, now-2h         relative to now; offsets chain: now-1d+2h, -1h30min
  end-1d, start+1h    relative to the other end (e- and s- also work)
  Units: s sec; m min (minutes); h hr hour; d day; w week; mon month; y year,
  each also plural. Days and longer are calendar arithmetic in local time.
  Unlike rrdtool, m is always minutes (rrdtool reads -1m to -5m as months).

Examples:
  ringmon archive fetch load.rma AVERAGE
  ringmon archive fetch load.rma MAX --start -1w --resolution 1h
  ringmon archive fetch eth0.rma AVERAGE -s 1700000000 -e start+1d
`;

export const fetchCommand = defineCommand({
  name: 'fetch',
  summary: 'print rows for a time range as JSON (rrdtool fetch)',
  help: HELP,
  options: {
    start: { type: 'string', short: 's' },
    end: { type: 'string', short: 'e' },
    resolution: { type: 'string', short: 'r' },
    'align-start': { type: 'boolean', short: 'a' },
  },
  positionals: ['FILE', 'CF'],
  run({ values, positionals: [file, cfText] }, context) {
    if (!(CONSOLIDATION_FUNCTIONS as readonly string[]).includes(cfText)) {
      throw new UsageError(`CF '${cfText}' is not one of ${CONSOLIDATION_FUNCTIONS.join(', ')}`);
    }
    const cf = cfText as ConsolidationFunction;
    const resolution = values.resolution === undefined ? 1 : parseDurationOption(values.resolution, '--resolution');
    const times = resolveStartEnd(
      parseTimeSpec(values.start ?? 'end-1d', '--start'),
      parseTimeSpec(values.end ?? 'now', '--end'),
      context.now(),
    );
    let { start, end } = times;
    if (start < EARLIEST_START) throw new CommandError(`--start: ${start} is before 1980`);
    if (values['align-start']) {
      const delta = start % resolution;
      start -= delta;
      end -= delta;
    }
    if (end < start) throw new CommandError(`--start (${start}) should be less than --end (${end})`);
    const result = fetchArchive(file, { cf, start, end, resolution });
    context.stdout.write(`${JSON.stringify(result)}\n`);
  },
});
