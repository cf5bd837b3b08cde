/** `ringmon token revoke`: removes a token from the file. */
import { revokeToken } from '../../server/auth/token-file.js';
import { defineCommand } from '../command.js';
import { DEFAULT_TOKEN_FILE, FILE_OPTION, FILE_OPTION_HELP, withTokenFile } from './token-file-option.js';

const HELP = `Usage: ringmon token revoke NAME [--file FILE]

Removes NAME's token from FILE; other lines, comments included, stay as they
are. A server that reads FILE notices the change and refuses the token from
its next request on.

Options:
${FILE_OPTION_HELP}
  -h, --help       show this help

Examples:
  ringmon token revoke collector-eu
`;

export const revokeCommand = defineCommand({
  name: 'revoke',
  summary: 'remove a token',
  help: HELP,
  options: { file: FILE_OPTION },
  positionals: ['NAME'],
  run({ values, positionals: [name] }, context) {
    const file = values.file ?? DEFAULT_TOKEN_FILE;
    const entry = withTokenFile(() => revokeToken(file, name));
    context.stderr.write(`Revoked ${entry.role} token '${entry.name}' from ${file}.\n`);
  },
});
