/** `ringmon downtime add`: files a downtime and prints its id. */
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS } from './client.js';
import { windowText, type ApiDowntime } from './format.js';
import { parseCliTime } from './time-input.js';

const HELP = `Usage: ringmon downtime add --scope PATTERNS [--agent NAMES] --from TIME --to TIME --reason TEXT
                            [--unplanned] [--rrule RULE] [--timezone ZONE]

Files a downtime and prints its id on standard output. A planned downtime
(the default) keeps the alarms of the series in scope quiet; an unplanned
one only explains graphs, and may be left open (no --to) until
'ringmon downtime end ID'. Needs an operator token; the token's name is
recorded as the author.

Options:
  --scope PATTERNS    series patterns, comma-separated: * within a segment, ** for
                      whole segments (host.web01.*, **.disk.*)
  --agent NAMES       agents, comma-separated: all their series
  --from TIME         start; default now
  --to TIME           end (exclusive); +2h is relative to --from
  --reason TEXT       why (required)
  --unplanned         an unplanned downtime (may stay open)
  --rrule RULE        repeat as an iCalendar RRULE, e.g. 'FREQ=WEEKLY;BYDAY=TU';
                      --from/--to are the first occurrence
  --timezone ZONE     IANA zone the rule repeats in, and for times without an
                      offset; default UTC
${CONNECTION_HELP}
  -h, --help          show this help

Times: ISO 8601 (2026-12-01T08:00Z, 2026-12-01T09:00+01:00), Unix seconds,
now, or an offset: -30m, +2h, now+1d (units s m h d w mon y).

Examples:
  ringmon downtime add --scope 'host.web01.*' --from 2026-12-01T08:00Z --to +2h --reason 'kernel upgrade'
  ringmon downtime add --scope 'host.db*.**' --from 2026-12-01T06:00 --to +2h \\
      --timezone Europe/Berlin --rrule 'FREQ=WEEKLY;BYDAY=TU' --reason 'weekly backup window'
  ID=$(ringmon downtime add --agent web01 --unplanned --reason 'rack power loss')
`;

/** The API's fields and the options that set them, for error messages. */
const FIELDS = {
  'body/scope/agents': '--agent',
  'body/scope': '--scope',
  'body/start': '--from',
  'body/end': '--to',
  'body/reason': '--reason',
  'body/rrule': '--rrule',
  'body/timezone': '--timezone',
};

const list = (text: string | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export const addCommand = defineCommand({
  name: 'add',
  summary: 'file a downtime (planned by default) and print its id',
  help: HELP,
  options: {
    scope: { type: 'string' },
    agent: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    reason: { type: 'string' },
    unplanned: { type: 'boolean' },
    rrule: { type: 'string' },
    timezone: { type: 'string' },
    ...CONNECTION_OPTIONS,
  },
  positionals: [],
  async run({ values }, context) {
    const conn = connection(values);
    const series = list(values.scope);
    const agents = list(values.agent);
    if (series.length === 0 && agents.length === 0) throw new UsageError('missing --scope (series patterns) or --agent');
    if (values.reason === undefined) throw new UsageError('missing --reason');
    if (!values.unplanned && values.to === undefined) throw new UsageError('missing --to: a planned downtime needs an end (only --unplanned ones may stay open)');
    const zone = values.timezone ?? 'UTC';
    const now = context.now();
    const start = values.from === undefined ? Math.floor(now) : parseCliTime(values.from, '--from', now, now, zone);
    const end = values.to === undefined ? undefined : parseCliTime(values.to, '--to', now, start, zone);
    const body = {
      kind: values.unplanned ? 'unplanned' : 'planned',
      scope: { series, agents },
      start,
      ...(end !== undefined && { end }),
      ...(values.rrule !== undefined && { rrule: values.rrule }),
      timezone: zone,
      reason: values.reason,
    };
    const created = (await callApi(conn, 'POST', '/api/v1/downtimes', body, FIELDS)) as ApiDowntime;
    context.stdout.write(`${created.id}\n`);
    context.stderr.write(`Filed ${created.kind} downtime ${created.id}: ${windowText(created)}\n`);
  },
});
