/** `ringmon config`: the server's configuration file, checked without a server. */
import { commandGroup } from './command.js';
import { checkCommand } from './config/check.js';

export const configCommand = commandGroup({
  name: 'config',
  summary: 'check a configuration file without starting the server',
  description: 'The configuration file of ringmon serve (docs/configuration.md).',
  footer: ['Examples:', '  ringmon config check ringmon.yaml'].join('\n'),
  commands: [checkCommand],
});
