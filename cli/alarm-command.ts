/**
 * `ringmon alarm`: acknowledging alarms through a running server's HTTP
 * API (docs/alarms.md, "Acknowledging").
 */
import { ackCommand } from './alarm/ack.js';
import { unackCommand } from './alarm/unack.js';
import { commandGroup } from './command.js';

export const alarmCommand = commandGroup({
  name: 'alarm',
  summary: 'acknowledge alarms and withdraw acknowledgements',
  description: [
    'An acknowledged alarm sends no reminders until its state changes. The commands',
    'talk to the server (--server, $RINGMON_URL) with the token in --token-file or',
    '$RINGMON_TOKEN; they need an operator token.',
  ].join('\n'),
  footer: [
    'Examples:',
    "  ringmon alarm ack host.web01.disk --comment 'disk swap booked for Tuesday' --expires 1d",
    '  ringmon alarm unack host.web01.disk',
  ].join('\n'),
  commands: [ackCommand, unackCommand],
});
