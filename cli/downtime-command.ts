/**
 * `ringmon downtime`: filing, listing, ending and cancelling downtimes
 * through a running server's HTTP API (docs/downtimes.md).
 */
import { commandGroup } from './command.js';
import { addCommand } from './downtime/add.js';
import { cancelCommand } from './downtime/cancel.js';
import { endCommand } from './downtime/end.js';
import { listCommand } from './downtime/list.js';
import { showCommand } from './downtime/show.js';

export const downtimeCommand = commandGroup({
  name: 'downtime',
  summary: 'file, list, end and cancel downtimes',
  description: [
    'Downtimes keep alarms quiet during planned work and explain gaps in graphs.',
    'The commands talk to the server (--server, $RINGMON_URL) with the token in',
    '--token-file or $RINGMON_TOKEN; changes need an operator token.',
  ].join('\n'),
  footer: [
    'Examples:',
    "  ringmon downtime add --scope 'host.web01.*' --from 2026-12-01T08:00Z --to +2h --reason 'kernel upgrade'",
    '  ringmon downtime list --active',
    '  ringmon downtime end 42',
    '  ringmon downtime cancel 42',
  ].join('\n'),
  commands: [addCommand, listCommand, showCommand, endCommand, cancelCommand],
});
