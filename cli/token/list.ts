/** `ringmon token list`: who holds a token, never the hashes. */
import { loadTokenFile } from '../../server/auth/token-file.js';
import { defineCommand } from '../command.js';
import { DEFAULT_TOKEN_FILE, FILE_OPTION, FILE_OPTION_HELP, withTokenFile, WRITER_DEPRECATED } from './token-file-option.js';

const HELP = `Usage: ringmon token list [--file FILE]

Prints one line per token: name, role and creation time (UTC), under a
header line. Tokens cannot be shown: the file keeps only their hashes.
When some token has the deprecated writer role, a note on standard error
says how to narrow it (ringmon token set-role).

Options:
${FILE_OPTION_HELP}
  -h, --help       show this help

Examples:
  ringmon token list
  ringmon token list --file /var/lib/ringmon/tokens | awk 'NR > 1 && $2 == "admin"'
`;

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list token names, roles and creation times',
  help: HELP,
  options: { file: FILE_OPTION },
  positionals: [],
  run({ values }, context) {
    const entries = withTokenFile(() => loadTokenFile(values.file ?? DEFAULT_TOKEN_FILE));
    const rows = [['NAME', 'ROLE', 'CREATED'], ...entries.map((e) => [e.name, e.role, e.created])];
    const nameWidth = Math.max(...rows.map((r) => r[0].length));
    const roleWidth = Math.max(...rows.map((r) => r[1].length));
    context.stdout.write(rows.map(([n, r, c]) => `${n.padEnd(nameWidth)}  ${r.padEnd(roleWidth)}  ${c}\n`).join(''));
    if (entries.some((e) => e.role === 'writer')) context.stderr.write(`${WRITER_DEPRECATED}\n`);
  },
});
