/** `ringmon token add`: makes a token and shows it, once. */
import { addToken, isRole, isTokenName, TOKEN_NAME_RULE } from '../../server/auth/token-file.js';
import { ROLE_HELP, ROLE_LIST } from '../../server/auth/roles.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TOKEN_FILE, FILE_OPTION, FILE_OPTION_HELP, withTokenFile, WRITER_DEPRECATED } from './token-file-option.js';

const HELP = `Usage: ringmon token add NAME --role viewer|ingest|operator|admin [--file FILE]

Creates a token for NAME and prints it on standard output. This is the only
time it is shown: the file keeps only its SHA-256, so store the token now.
Creates FILE (mode 0600, its directory 0700) if missing.

NAME is ${TOKEN_NAME_RULE}, and unique in the file.
Roles (give each token the least it needs):
${ROLE_HELP.replace(/^/gm, '  ')}

Options:
  -r, --role ROLE  ${ROLE_LIST} (required)
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
  options: { role: { type: 'string', short: 'r' }, file: FILE_OPTION },
  positionals: ['NAME'],
  run({ values, positionals: [name] }, context) {
    if (!isTokenName(name)) throw new UsageError(`invalid name '${name}': a name is ${TOKEN_NAME_RULE}`);
    if (values.role === undefined) throw new UsageError(`missing --role (${ROLE_LIST})`);
    const role = values.role;
    if (!isRole(role)) throw new UsageError(`invalid --role '${role}': one of ${ROLE_LIST}`);
    const file = values.file ?? DEFAULT_TOKEN_FILE;
    const token = withTokenFile(() => addToken(file, name, role, new Date(context.now() * 1000)));
    context.stdout.write(`${token}\n`);
    context.stderr.write(`Added ${role} token '${name}' to ${file}. It is not shown again: store it now.\n`);
    if (role === 'writer') context.stderr.write(`${WRITER_DEPRECATED}\n`);
  },
});
