/** `ringmon token set-role`: gives an existing token another role; the token itself does not change. */
import { isRole, setTokenRole } from '../../server/auth/token-file.js';
import { ROLE_HELP, ROLE_LIST } from '../../server/auth/roles.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TOKEN_FILE, FILE_OPTION, FILE_OPTION_HELP, withTokenFile } from './token-file-option.js';

const HELP = `Usage: ringmon token set-role NAME --role viewer|ingest|operator|admin [--file FILE]

Gives NAME's token the role ROLE. The token stays the same, so whoever holds
it needs nothing new; a server that reads FILE applies the new role from its
next request on. Use it to narrow a deprecated writer token: ingest for an
agent or a loader, operator for a person who files downtimes.

Roles:
${ROLE_HELP.replace(/^/gm, '  ')}

Options:
  -r, --role ROLE  ${ROLE_LIST} (required)
${FILE_OPTION_HELP}
  -h, --help       show this help

Examples:
  ringmon token set-role collector-eu --role ingest
  ringmon token list | awk '$2 == "writer" { print $1 }'
`;

export const setRoleCommand = defineCommand({
  name: 'set-role',
  summary: "change a token's role (the token stays the same)",
  help: HELP,
  options: { role: { type: 'string', short: 'r' }, file: FILE_OPTION },
  positionals: ['NAME'],
  run({ values, positionals: [name] }, context) {
    if (values.role === undefined) throw new UsageError(`missing --role (${ROLE_LIST})`);
    const role = values.role;
    if (!isRole(role)) throw new UsageError(`invalid --role '${role}': one of ${ROLE_LIST}`);
    const file = values.file ?? DEFAULT_TOKEN_FILE;
    const before = withTokenFile(() => setTokenRole(file, name, role));
    context.stderr.write(`Token '${name}' in ${file}: ${before.role} -> ${role}.\n`);
  },
});
