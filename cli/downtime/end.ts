/** `ringmon downtime end`: ends a downtime in progress now. */
import { defineCommand } from '../command.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS, parseId } from './client.js';
import { windowText, type ApiDowntime } from './format.js';

const HELP = `Usage: ringmon downtime end ID

Ends downtime ID now: its end becomes the current time. Meant for an open
unplanned downtime once the trouble is over; also ends a one-off planned
downtime early. A recurring downtime cannot be ended (change its rule or
cancel it); one that has not started is cancelled instead. Needs an operator
token.

Options:
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon downtime end 42
`;

export const endCommand = defineCommand({
  name: 'end',
  summary: 'end a downtime in progress now',
  help: HELP,
  options: { ...CONNECTION_OPTIONS },
  positionals: ['ID'],
  async run({ values, positionals: [idText] }, context) {
    const id = parseId(idText);
    const ended = (await callApi(connection(values), 'POST', `/api/v1/downtimes/${id}/end`)) as ApiDowntime;
    context.stderr.write(`Ended downtime ${ended.id}: ${windowText(ended)}\n`);
  },
});
