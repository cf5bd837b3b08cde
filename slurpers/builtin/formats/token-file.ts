/**
 * A bearer token kept in a file of its own (never in the config text, so the
 * config can be shared and logged). Read at every run, so a rotated token is
 * used without a restart. Errors name the file and never quote its content.
 */
import { readFile, stat } from 'node:fs/promises';

/** The file's content, trimmed. Throws when it is missing, empty, or readable by others. */
export async function readTokenFile(path: string, signal: AbortSignal): Promise<string> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, { encoding: 'utf8', signal });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw new Error(`token file ${path} cannot be read (${code})`);
  }
  // The server's token file follows the same rule: a secret others can read is refused.
  if ((mode & 0o004) !== 0) throw new Error(`token file ${path} is readable by others; chmod o-r it`);
  const token = text.trim();
  if (token === '' || /\s/u.test(token)) throw new Error(`token file ${path} must hold one token on one line`);
  return token;
}
