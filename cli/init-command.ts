/**
 * `ringmon init`: writes a starter server config (cli/init/starter-config.ts)
 * that `ringmon serve --config FILE` loads as it is, with the demo set of
 * slurper instances written out. The file is owner-only and written
 * durably (lib/durable-file); an existing file is kept unless --force.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { makeDirectorySync, replaceFileSync } from '../lib/durable-file.js';
import { demoInstances } from '../server/slurpers/config-section.js';
import { describeInstance } from '../server/slurpers/startup-log.js';
import { defineCommand } from './command.js';
import { CommandError } from './errors.js';
import { starterConfig } from './init/starter-config.js';

const DEFAULT_CONFIG = 'ringmon.yaml';
const DEFAULT_DATA_DIR = 'data';

const HELP = `Usage: ringmon init [--config FILE] [--data-dir DIR] [--force]

Writes a starter server config to FILE (default ./${DEFAULT_CONFIG}, mode 0600)
for 'ringmon serve --config FILE'. It holds the settings most often changed
first (listen address, dataDir), the demo set of slurper instances that
'ringmon serve' runs without a config (this host's CPU, load, memory,
network and disks every 10 s) written out, so that instances you add run
beside them, and commented examples of other slurpers and of an alarm.
An existing FILE is left as it is unless --force.

Options:
  -c, --config FILE    where to write the config (default ./${DEFAULT_CONFIG})
  -d, --data-dir DIR   the server's data directory (default ./${DEFAULT_DATA_DIR} of the
                       working directory, as 'ringmon serve' without a config)
  -f, --force          replace FILE if it exists
  -h, --help           show this help

Examples:
  ringmon init
  ringmon init --config /etc/ringmon/ringmon.yaml --data-dir /var/lib/ringmon
`;

/** dataDir as the file should say it: relative to the file's folder when it lies below it, else absolute. */
function dataDirInFile(configPath: string, dataDir: string): string {
  const fromFile = relative(dirname(configPath), dataDir);
  return fromFile !== '' && !fromFile.startsWith('..') && !isAbsolute(fromFile) ? fromFile : dataDir;
}

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write a starter server config (ringmon.yaml)',
  help: HELP,
  options: { config: { type: 'string', short: 'c' }, 'data-dir': { type: 'string', short: 'd' }, force: { type: 'boolean', short: 'f' } },
  positionals: [],
  run({ values }, context) {
    const configPath = resolve(values.config ?? DEFAULT_CONFIG);
    const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);
    if (existsSync(configPath) && values.force !== true) {
      throw new CommandError(`${configPath} exists; left as it is (--force replaces it)`);
    }
    const instances = demoInstances();
    const shown = values.config ?? DEFAULT_CONFIG;
    makeDirectorySync(dirname(configPath));
    replaceFileSync(configPath, starterConfig({ file: shown, dataDir: dataDirInFile(configPath, dataDir), instances }));
    context.stdout.write(
      [
        `wrote ${configPath} with ${instances.length} slurper instances: ${instances.map(describeInstance).join(', ')}`,
        `start the server with:  ringmon serve --config ${shown}`,
        `then add a token:       ringmon token add me --role viewer --file ${resolve(dataDir, 'tokens')}`,
        '',
      ].join('\n'),
    );
  },
});
