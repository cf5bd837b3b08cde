/** `ringmon alarm ack`: acknowledges a bad alarm, so no reminders go out until its state changes. */
import { readDuration } from '../../lib/duration.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS } from '../downtime/client.js';
import { ACK_FIELDS, ackText, type AckAnswer } from './format.js';

const HELP = `Usage: ringmon alarm ack SERIES --comment TEXT [--expires DURATION]

Acknowledges the alarm of SERIES (a series in WARNING, CRITICAL or NODATA,
or a node's item node:NAME while the node is down): no reminders are sent
for it until its state changes (to OK or to another level: a WARNING
acknowledged does not hide a later CRITICAL), until --expires has passed,
or until 'ringmon alarm unack SERIES'. Changes are told as ever. The
acknowledgement is shown in the alarms list and recorded in the alarm
history with the token's name as the author. Needs an operator token.

Options:
  --comment TEXT      why: one line, up to 1000 characters (required)
  --expires DURATION  end it by itself after this long (30m, 2h, 1d; at most
                      366 days); default: at the next change of state
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon alarm ack host.web01.disk --comment 'disk swap booked for Tuesday'
  ringmon alarm ack node:web03 --comment 'power cut at the site' --expires 2h
`;

export const ackCommand = defineCommand({
  name: 'ack',
  summary: 'acknowledge a bad alarm: no reminders until its state changes',
  help: HELP,
  options: { comment: { type: 'string' }, expires: { type: 'string' }, ...CONNECTION_OPTIONS },
  positionals: ['SERIES'],
  async run({ values, positionals: [series] }, context) {
    const conn = connection(values);
    if (values.comment === undefined) throw new UsageError('missing --comment: say why');
    let until: number | undefined;
    if (values.expires !== undefined) {
      const seconds = readDuration(values.expires);
      if (typeof seconds === 'string') throw new UsageError(`--expires: ${seconds}`);
      if (seconds <= 0) throw new UsageError('--expires: must be longer than 0s');
      until = Math.ceil(context.now() + seconds);
    }
    const body = { series, comment: values.comment, ...(until !== undefined && { until }) };
    const answer = (await callApi(conn, 'POST', '/api/v1/alarms/ack', body, ACK_FIELDS)) as AckAnswer;
    context.stderr.write(`Acknowledged ${ackText(answer)}\n`);
  },
});
