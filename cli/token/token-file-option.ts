/**
 * What the `ringmon token` commands share: the --file option with its
 * default, the --role option, and turning the token file's errors into the
 * CLI's.
 */
import { TokenError } from '../../server/auth/errors.js';
import { isRole, ROLE_HELP, ROLE_LIST, type Role } from '../../server/auth/roles.js';
import { CommandError, UsageError } from '../errors.js';

/** The server's default data directory holds the token file; the server config will name it later. */
export const DEFAULT_TOKEN_FILE = 'data/tokens';

export const FILE_OPTION = { type: 'string', short: 'f' } as const;

export const FILE_OPTION_HELP = `  -f, --file FILE  the token file; default ./${DEFAULT_TOKEN_FILE}`;

export const ROLE_OPTION = { type: 'string', short: 'r' } as const;

/** The roles and the --role option, for the help of the commands that take it. */
export const ROLE_OPTION_HELP = `Roles (give each token the least it needs):
${ROLE_HELP.replace(/^/gm, '  ')}

Options:
  -r, --role ROLE  ${ROLE_LIST} (required)`;

/** The --role given, checked: throws UsageError when it is missing or not a role. */
export function roleOption(value: string | undefined): Role {
  if (value === undefined) throw new UsageError(`missing --role (${ROLE_LIST})`);
  if (!isRole(value)) throw new UsageError(`invalid --role '${value}': one of ${ROLE_LIST}`);
  return value;
}

/** The options of a command that gives a token a role (add, set-role). */
export const ROLE_AND_FILE_OPTIONS = { role: ROLE_OPTION, file: FILE_OPTION } as const;

/** --role checked (throws UsageError as roleOption does) and --file with its default. */
export function roleAndFile(values: { readonly role?: string; readonly file?: string }): { role: Role; file: string } {
  return { role: roleOption(values.role), file: values.file ?? DEFAULT_TOKEN_FILE };
}

/** What `ringmon token` says when a writer token is made or listed. */
export const WRITER_DEPRECATED =
  "note: the writer role is deprecated (it is ingest and operator together); give agents and loaders ingest, people operator: ringmon token set-role NAME --role ingest|operator";

/** Runs `operation`, reporting a TokenError as the one-line CommandError the CLI prints (the message already names the file). */
export function withTokenFile<T>(operation: () => T): T {
  try {
    return operation();
  } catch (e) {
    if (e instanceof TokenError) throw new CommandError(e.message);
    throw e;
  }
}
