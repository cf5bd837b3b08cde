/** A network error as a person reads it: `connection refused (ECONNREFUSED)`, following undici's `cause`. */
const WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name this host',
};

export function describeNetError(error: unknown): string {
  let current: unknown = error;
  // fetch wraps the socket's error: TypeError('fetch failed', { cause }); the innermost one says what happened.
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  const code = (current as NodeJS.ErrnoException).code;
  if (code !== undefined && WORDS[code] !== undefined) return `${WORDS[code]} (${code})`;
  return code !== undefined && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
}
