/** `ringmon downtime list`: downtimes as a table, or as the API's JSON. */
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS } from './client.js';
import { downtimeTable, type ApiDowntime } from './format.js';
import { parseCliTime } from './time-input.js';

const HELP = `Usage: ringmon downtime list [--active] [--series SERIES [--agent NAME]] [--from TIME --to TIME]
                             [--kind planned|unplanned] [--cancelled] [--json]

Lists downtimes by start, one per line under a header. Cancelled ones are
left out unless --cancelled. Needs a viewer token (unless the server has
open reads).

Options:
  --active            only those in effect now
  --series SERIES     only those covering this series
  --agent NAME        with --series: the agent it comes from
  --from TIME         with --to: only those with a window overlapping [from, to)
  --to TIME           +1d is relative to --from
  --kind KIND         planned or unplanned
  --cancelled         cancelled ones too
  --json              print the API's JSON answer, with each recurring
                      downtime's windows in the range
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon downtime list --active
  ringmon downtime list --series host.web01.cpu --from -1w --to now --json
`;

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list downtimes (active ones, those of a series)',
  help: HELP,
  options: {
    active: { type: 'boolean' },
    series: { type: 'string' },
    agent: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    kind: { type: 'string' },
    cancelled: { type: 'boolean' },
    json: { type: 'boolean' },
    ...CONNECTION_OPTIONS,
  },
  positionals: [],
  async run({ values }, context) {
    const conn = connection(values);
    const query = new URLSearchParams();
    if ((values.from === undefined) !== (values.to === undefined)) throw new UsageError('--from and --to go together');
    if (values.active && values.from !== undefined) throw new UsageError('--active cannot be combined with --from/--to');
    if (values.kind !== undefined && values.kind !== 'planned' && values.kind !== 'unplanned') throw new UsageError(`--kind: '${values.kind}' is not planned or unplanned`);
    if (values.agent !== undefined && values.series === undefined) throw new UsageError('--agent needs --series');
    if (values.from !== undefined && values.to !== undefined) {
      const now = context.now();
      const from = parseCliTime(values.from, '--from', now);
      query.set('from', String(from));
      query.set('to', String(parseCliTime(values.to, '--to', now, from)));
    }
    if (values.active) query.set('active', 'true');
    if (values.series !== undefined) query.set('series', values.series);
    if (values.agent !== undefined) query.set('agent', values.agent);
    if (values.kind !== undefined) query.set('kind', values.kind);
    if (values.cancelled) query.set('include', 'cancelled');
    const fields = { 'query/series': '--series', 'query/from': '--from', 'query/to': '--to', 'query/agent': '--agent' };
    // Without a range the server answers a page at a time: follow `next` to the end.
    const answer: { downtimes: ApiDowntime[] } = { downtimes: [] };
    let next: string | undefined;
    do {
      if (next !== undefined) query.set('after', next);
      const page = (await callApi(conn, 'GET', `/api/v1/downtimes${query.size > 0 ? `?${query}` : ''}`, undefined, fields)) as { downtimes: ApiDowntime[]; next?: string };
      answer.downtimes.push(...page.downtimes);
      next = page.next;
    } while (next !== undefined);
    context.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : downtimeTable(answer.downtimes));
  },
});
