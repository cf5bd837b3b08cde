/** `ringmon alarm unack`: withdraws an alarm's acknowledgement, so reminders go out again. */
import { defineCommand } from '../command.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS } from '../downtime/client.js';
import { ACK_FIELDS, type AckAnswer } from './format.js';

const HELP = `Usage: ringmon alarm unack SERIES [--comment TEXT]

Withdraws the acknowledgement of SERIES' alarm: a reminder already due is
sent at once, the next ones at the rule's renotify. Recorded in the alarm
history with the token's name. Needs an operator token.

Options:
  --comment TEXT      why, recorded with it (optional; one line, up to 1000
                      characters)
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon alarm unack host.web01.disk --comment 'the swap is postponed'
`;

export const unackCommand = defineCommand({
  name: 'unack',
  summary: "withdraw an alarm's acknowledgement",
  help: HELP,
  options: { comment: { type: 'string' }, ...CONNECTION_OPTIONS },
  positionals: ['SERIES'],
  async run({ values, positionals: [series] }, context) {
    const body = { series, ...(values.comment !== undefined && { comment: values.comment }) };
    const answer = (await callApi(connection(values), 'POST', '/api/v1/alarms/unack', body, ACK_FIELDS)) as AckAnswer;
    context.stderr.write(`Withdrew the acknowledgement of ${answer.series} (${answer.state})\n`);
  },
});
