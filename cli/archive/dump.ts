/** `ringmon archive dump`: the archive as rrdtool dump XML on stdout. */
import { dumpArchive } from '../../archive/index.js';
import { defineCommand } from '../command.js';

const HELP = `Usage: ringmon archive dump FILE

Writes FILE as rrdtool dump XML to stdout, streamed a few rows at a time, so
archives of any size dump in constant memory. The XML restores with
'ringmon archive restore' and with rrdtool restore.

Options:
  -h, --help   show this help

Examples:
  ringmon archive dump load.rma > load.xml
  ringmon archive dump load.rma | rrdtool restore - load.rrd
  ringmon archive dump old.rma | ringmon archive restore - new.rma
`;

export const dumpCommand = defineCommand({
  name: 'dump',
  summary: 'write an archive as rrdtool dump XML to stdout (rrdtool dump)',
  help: HELP,
  options: {},
  positionals: ['FILE'],
  run({ positionals: [file] }, context) {
    dumpArchive(file, (chunk) => {
      context.stdout.write(chunk);
    });
  },
});
