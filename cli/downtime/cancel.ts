/** `ringmon downtime cancel`: cancels a downtime; it stays in the history. */
import { defineCommand } from '../command.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS, parseId } from './client.js';
import { windowText, type ApiDowntime } from './format.js';

const HELP = `Usage: ringmon downtime cancel ID

Cancels downtime ID: alarms and graphs ignore it from now on. It is not
deleted: 'ringmon downtime show ID' still shows it and its history, and
'ringmon downtime list --cancelled' lists it. Needs an operator token.

Options:
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon downtime cancel 42
`;

export const cancelCommand = defineCommand({
  name: 'cancel',
  summary: 'cancel a downtime (kept in its history)',
  help: HELP,
  options: { ...CONNECTION_OPTIONS },
  positionals: ['ID'],
  async run({ values, positionals: [idText] }, context) {
    const id = parseId(idText);
    const cancelled = (await callApi(connection(values), 'DELETE', `/api/v1/downtimes/${id}`)) as ApiDowntime;
    context.stderr.write(`Cancelled downtime ${cancelled.id}: ${windowText(cancelled)}\n`);
  },
});
