/** `ringmon archive info`: the archive's definition and live state as JSON (rrdtool info). */
import { archiveInfo } from '../../archive/index.js';
import { defineCommand } from '../command.js';

const HELP = `Usage: ringmon archive info FILE

Prints FILE's definition and live state as indented JSON: step, last update,
each DS (type, heartbeat, min, max, the PDP being built) and each RRA (CF,
rows, current row, PDPs per row, xff, the CDP being built). Unknown numbers
are null.

Options:
  -h, --help   show this help

Examples:
  ringmon archive info load.rma
  ringmon archive info load.rma | jq '.rra[] | {cf, rows, pdpPerRow}'
`;

export const infoCommand = defineCommand({
  name: 'info',
  summary: "print an archive's definition and state as JSON (rrdtool info)",
  help: HELP,
  options: {},
  positionals: ['FILE'],
  run({ positionals: [file] }, context) {
    context.stdout.write(`${JSON.stringify(archiveInfo(file), null, 2)}\n`);
  },
});
