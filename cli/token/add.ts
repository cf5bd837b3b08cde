/** `ringmon token add`: makes a token and shows it, once. */
import { addToken, isTokenName, TOKEN_NAME_RULE } from '../../server/auth/token-file.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { FILE_OPTION_HELP, ROLE_AND_FILE_OPTIONS, ROLE_OPTION_HELP, roleAndFile, withTokenFile, WRITER_DEPRECATED } from './token-file-option.js';

const HELP = `Usage: ringmon token add NAME --role viewer|ingest|operator|admin [--file FILE]

Creates a token for NAME and prints it on standard output. This is the only
time it is shown: the file keeps only its SHA-256, so store the token now.
Creates FILE (mode 0600, its directory 0700) if missing.

NAME is ${TOKEN_NAME_RULE}, and unique in the file.
${ROLE_OPTION_HELP}
${FILE_OPTION_HELP}
  -h, --help       show this help

Examples:
  ringmon token add collector-eu --role ingest
  ringmon token add alice --role operator
  TOKEN=$(ringmon token add grafana --role viewer --file /var/lib/ringmon/tokens)
`;

export const addCommand = defineCommand({
  name: 'add',
  summary: 'create a token and print it (shown only once)',
  help: HELP,
  options: ROLE_AND_FILE_OPTIONS,
  positionals: ['NAME'],
  run({ values, positionals: [name] }, context) {
    if (!isTokenName(name)) throw new UsageError(`invalid name '${name}': a name is ${TOKEN_NAME_RULE}`);
    const { role, file } = roleAndFile(values);
    const token = withTokenFile(() => addToken(file, name, role, new Date(context.now() * 1000)));
    context.stdout.write(`${token}\n`);
    context.stderr.write(`Added ${role} token '${name}' to ${file}. It is not shown again: store it now.\n`);
    if (role === 'writer') context.stderr.write(`${WRITER_DEPRECATED}\n`);
  },
});
