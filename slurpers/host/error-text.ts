/** What a caught value says: an Error's message, anything else as a string. For log lines and error messages. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
