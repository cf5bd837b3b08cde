/**
 * `ringmon rules`: alarm rules, through a running server's HTTP API
 * (docs/alarms.md). For now one command: trying a rule against history.
 */
import { commandGroup } from './command.js';
import { tryCommand } from './rules/try.js';

export const rulesCommand = commandGroup({
  name: 'rules',
  summary: 'try alarm rules against history',
  description: [
    'Alarm rules are set in ringmon.yaml (alarms.rules). These commands talk to the',
    'server (--server, $RINGMON_URL) with the token in --token-file or $RINGMON_TOKEN.',
  ].join('\n'),
  footer: ['Examples:', '  ringmon rules try --rule cpu-high.yaml --from 7d', '  ringmon rules try --from-config cpu-high'].join('\n'),
  commands: [tryCommand],
});
