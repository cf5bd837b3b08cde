/** `ringmon config check FILE`: every check `ringmon serve` makes at start, without starting anything. */
import { loadConfig } from '../../server/config/index.js';
import { ConfigError } from '../../server/config-schema/index.js';
import { checkConfig, describeSummary } from '../../server/reload/check-config.js';
import { defineCommand } from '../command.js';

const HELP = `Usage: ringmon config check FILE

Validates a configuration file with the same checks 'ringmon serve' makes
before it listens: every key of the file, the slurper files and their
instances' options, the recipients against notify.email, the secret files
(notify.email.passwordFile, notify.webhook.tokenFile) and the token file.
Nothing is started and nothing is created: not the data directory, not a
file. RINGMON_* environment variables apply as they do for 'ringmon serve'.

Prints one line "FILE: valid (...)" and exits 0, or prints every problem
with the key it concerns and exits 1.

Options:
  -h, --help   show this help

Examples:
  ringmon config check ringmon.yaml
  ringmon config check /etc/ringmon/ringmon.yaml && systemctl reload ringmon
`;

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'validate a configuration file without starting anything',
  help: HELP,
  options: {},
  positionals: ['FILE'],
  async run({ positionals }, context) {
    const [file] = positionals;
    const config = loadConfig(file);
    try {
      const summary = await checkConfig(config);
      context.stdout.write(`${file}: valid (${describeSummary(summary)})\n`);
    } catch (e) {
      // The checks after loadConfig do not know the file's name: the message should.
      throw e instanceof ConfigError && e.source === undefined ? new ConfigError(file, e.problems) : e;
    }
  },
});
