/**
 * `ringmon archive`: the archive engine on the command line, with rrdtool's
 * argument syntax so that rrdtool users switch by changing the command name.
 */
import { createCommand } from './archive/create.js';
import { dumpCommand } from './archive/dump.js';
import { fetchCommand } from './archive/fetch.js';
import { infoCommand } from './archive/info.js';
import { reshapeCommand } from './archive/reshape.js';
import { restoreCommand } from './archive/restore.js';
import { updateCommand } from './archive/update.js';
import { commandGroup } from './command.js';

export const archiveCommand = commandGroup({
  name: 'archive',
  summary: 'create, update, fetch, inspect, dump, restore and reshape round-robin archives',
  description: [
    'Round-robin archives compatible with rrdtool 1.7: the subcommands take rrdtool\'s',
    'arguments (rrdtool create ... becomes ringmon archive create ...).',
  ].join('\n'),
  footer: [
    'Examples:',
    '  ringmon archive create load.rma --step 60 DS:load:GAUGE:2m:0:U RRA:AVERAGE:0.5:1:1d',
    '  ringmon archive update load.rma N:0.42',
    '  ringmon archive fetch load.rma AVERAGE --start -1h',
  ].join('\n'),
  commands: [createCommand, updateCommand, fetchCommand, infoCommand, dumpCommand, restoreCommand, reshapeCommand],
});
