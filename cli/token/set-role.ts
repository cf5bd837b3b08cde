/** `ringmon token set-role`: gives an existing token another role; the token itself does not change. */
import { setTokenRole } from '../../server/auth/token-file.js';
import { defineCommand } from '../command.js';
import { FILE_OPTION_HELP, ROLE_AND_FILE_OPTIONS, ROLE_OPTION_HELP, roleAndFile, withTokenFile } from './token-file-option.js';

const HELP = `Usage: ringmon token set-role NAME --role viewer|ingest|operator|admin [--file FILE]

Gives NAME's token the role ROLE. The token stays the same, so whoever holds
it needs nothing new; a server that reads FILE applies the new role from its
next request on. Use it to narrow a deprecated writer token: ingest for an
agent or a loader, operator for a person who files downtimes.

${ROLE_OPTION_HELP}
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
  options: ROLE_AND_FILE_OPTIONS,
  positionals: ['NAME'],
  run({ values, positionals: [name] }, context) {
    const { role, file } = roleAndFile(values);
    const before = withTokenFile(() => setTokenRole(file, name, role));
    context.stderr.write(`Token '${name}' in ${file}: ${before.role} -> ${role}.\n`);
  },
});
