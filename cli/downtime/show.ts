/** `ringmon downtime show`: one downtime and its history. */
import { defineCommand } from '../command.js';
import { callApi, connection, CONNECTION_HELP, CONNECTION_OPTIONS, parseId } from './client.js';
import { scopeText, windowText, type ApiDowntime, type ApiRevision } from './format.js';

const HELP = `Usage: ringmon downtime show ID [--json]

Prints downtime ID and, under it, every version it has had: who created,
changed, ended or cancelled it, and when. Needs a viewer token (unless the
server has open reads).

Options:
  --json              print the API's JSON history
${CONNECTION_HELP}
  -h, --help          show this help

Examples:
  ringmon downtime show 42
`;

export const showCommand = defineCommand({
  name: 'show',
  summary: 'show a downtime and its history',
  help: HELP,
  options: { json: { type: 'boolean' }, ...CONNECTION_OPTIONS },
  positionals: ['ID'],
  async run({ values, positionals: [idText] }, context) {
    const id = parseId(idText);
    const { revisions } = (await callApi(connection(values), 'GET', `/api/v1/downtimes/${id}/history`)) as { revisions: ApiRevision[] };
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ revisions })}\n`);
      return;
    }
    const d: ApiDowntime = revisions[revisions.length - 1].downtime;
    const lines = [
      `downtime ${d.id}: ${d.kind}, ${d.status}`,
      `  scope   ${scopeText(d)}`,
      `  window  ${windowText(d)}`,
      `  reason  ${d.reason}`,
      'history:',
      ...revisions.map((r) => `  ${r.revision}  ${r.at}  ${r.action.padEnd(9)}  ${r.author}  ${windowText(r.downtime)}  ${r.downtime.reason}`),
    ];
    context.stdout.write(`${lines.join('\n')}\n`);
  },
});
