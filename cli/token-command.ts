/**
 * `ringmon token`: the API's bearer tokens, kept as hashes in the server's
 * token file (format: server/auth/token-file.ts).
 */
import { commandGroup } from './command.js';
import { addCommand } from './token/add.js';
import { listCommand } from './token/list.js';
import { revokeCommand } from './token/revoke.js';
import { setRoleCommand } from './token/set-role.js';

export const tokenCommand = commandGroup({
  name: 'token',
  summary: 'add, list, re-role and revoke API tokens',
  description: [
    'API tokens and their roles: viewer reads; ingest writes samples and agent',
    'heartbeats only; operator reads and manages downtimes; admin does everything;',
    'writer (deprecated) is ingest and operator together. The token file keeps only',
    'their SHA-256 hashes, so a token is shown once, when it is added.',
  ].join('\n'),
  footer: [
    'Examples:',
    '  ringmon token add collector-eu --role ingest',
    '  ringmon token list',
    '  ringmon token set-role old-collector --role ingest',
    '  ringmon token revoke collector-eu',
  ].join('\n'),
  commands: [addCommand, listCommand, setRoleCommand, revokeCommand],
});
