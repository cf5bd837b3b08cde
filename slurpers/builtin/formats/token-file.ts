/**
 * A bearer token kept in a file of its own (never in the config text, so the
 * config can be shared and logged). Read at every run, so a rotated token is
 * used without a restart. The file must be owner-only, checked as every
 * secret file is (lib/owner-only.ts). Errors name the file and never quote
 * its content.
 */
import { OwnerOnlyError, readOwnerOnly } from '../../../lib/owner-only.js';

/** The file's content, trimmed. Throws when it is missing, empty, or not owner-only. */
export async function readTokenFile(path: string, signal: AbortSignal): Promise<string> {
  let text: string;
  try {
    text = await readOwnerOnly(path, signal);
  } catch (error) {
    if (error instanceof OwnerOnlyError) throw new Error(`token file ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw new Error(`token file ${path} cannot be read (${code})`);
  }
  const token = text.trim();
  if (token === '' || /\s/u.test(token)) throw new Error(`token file ${path} must hold one token on one line`);
  return token;
}
