/**
 * Links in notices, built from `alarms.publicUrl`: the address people reach
 * the server's web client at (a reverse proxy's https:// address). Without
 * it a notice has no link: the listen address (127.0.0.1:8080 behind a
 * proxy) is rarely reachable from a mail reader, and a wrong link is worse
 * than none. The URL is checked once at load (checkPublicUrl): http or
 * https, a host, no credentials, query or fragment, so every link is the
 * URL, a path and our own query.
 */

/** The problem with `text` as alarms.publicUrl, or undefined when it serves. */
export function publicUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.hostname === '') return 'must name a host';
  if (url.username !== '' || url.password !== '') return 'must not hold a user or password (it is put in every mail)';
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return 'must not have a query (?) or fragment (#): links add their own';
  return undefined;
}

/** The link to a series' graph in the web client; undefined without a public URL. */
export function graphLink(publicUrl: string | undefined, series: string): string | undefined {
  if (publicUrl === undefined) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/?view=graph&s=${encodeURIComponent(series)}`;
}
