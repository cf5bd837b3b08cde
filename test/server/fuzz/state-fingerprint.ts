/**
 * What a refused request must not change, read over the API with an admin
 * token and from the data directory: the series (name, last update and
 * value, definition), the downtimes, the agents (but how long ago each was
 * seen), the newest notification, the samples ingested and series reshaped
 * as /metrics counts them, and the token file's bytes. Cheap enough to take
 * around every batch of mutating requests; what changes with time alone
 * (held samples, drift, uptime, flush counters) is left out.
 *
 * What the server does on its own to samples it acknowledged earlier is not
 * left out but settled first (settle): a fingerprint that starts a check
 * follows a flush.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';

export interface FingerprintSource {
  readonly client: Dispatcher;
  readonly adminToken: string;
  readonly tokensFile: string;
}

async function getJson(source: FingerprintSource, path: string): Promise<any> { // any: the API's JSON, picked apart below
  const res = await source.client.request({ method: 'GET', path, headers: { authorization: `Bearer ${source.adminToken}` } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`fingerprint: GET ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return path === '/metrics' ? text : JSON.parse(text);
}

/**
 * Applies every sample acknowledged so far to its archive (POST
 * /api/v1/admin/flush answers once they are): call it before a fingerprint
 * that starts a check. A flush (on the server's timer) or a read of a series
 * (GET /api/v1/fetch applies its pending samples first) may otherwise apply
 * them between the two fingerprints, and change what GET /api/v1/series
 * says with no request asking: a sample the archive refuses (a COUNTER
 * value that is not an integer) is listed as the series' last update while
 * pending, then quarantined, by the store's contract (stored or reported:
 * test/server/store/series-store.test.ts), and the series' last update goes
 * back to the archive's. Samples held for their cadence stay pending: the
 * fingerprint leaves them out.
 */
export async function settle(source: FingerprintSource): Promise<void> {
  const res = await source.client.request({ method: 'POST', path: '/api/v1/admin/flush', headers: { authorization: `Bearer ${source.adminToken}` } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`settle: POST /api/v1/admin/flush answered ${res.statusCode}: ${text.slice(0, 300)}`);
}

/** The state as one comparable object (parts by name, so a difference can be shown). */
export async function stateFingerprint(source: FingerprintSource): Promise<Record<string, string>> {
  const [series, downtimes, agents, metrics, notifications] = await Promise.all([
    getJson(source, '/api/v1/series'),
    getJson(source, '/api/v1/downtimes'),
    getJson(source, '/api/v1/agents?limit=1000'),
    getJson(source, '/metrics') as Promise<string>,
    getJson(source, '/api/v1/notifications?limit=1'),
  ]);
  const counted = metrics.split('\n').filter((line) => /^ringmon_(samples_ingested_total|series_reshaped_total) /.test(line));
  return {
    // lastUpdate to the millisecond: read back from the archive after a flush, 1796646937.579 shows as 1796646937.578999.
    // A series held for its cadence settles on the server's own time (its samples written at a flush): only its name counts.
    series: JSON.stringify(series.series.map((s: any) => (s.held ? [s.series, 'held'] : [s.series, Math.round(s.lastUpdate * 1000), s.lastValue, s.definition]))), // any: an API item
    downtimes: JSON.stringify(downtimes.downtimes),
    // How long ago an agent was seen changes with the clock alone.
    agents: JSON.stringify(agents.agents.map((a: any) => ({ ...a, lastSeenAgoSeconds: undefined }))), // any: an API item
    metrics: JSON.stringify(counted),
    newestNotification: JSON.stringify([notifications.notifications?.[0]?.id ?? null]),
    tokens: JSON.stringify([createHash('sha256').update(readFileSync(source.tokensFile)).digest('hex')]),
  };
}

/** The parts that differ; of a list, the items that differ (at most 3, each cut to 400 characters). */
export function differences(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((k) => before[k] !== after[k])
    .map((k): string => {
      const [a, b] = [before[k], after[k]].map((text) => {
        const value: unknown = text === undefined ? undefined : JSON.parse(text);
        return Array.isArray(value) ? value.map((item) => JSON.stringify(item)) : [String(text)];
      });
      // A series held in `before` settles on the server's own time (its samples written at a flush), not by a request.
      const heldNames = a.filter((item) => item.endsWith(',"held"]')).map((item) => item.slice(0, -',"held"]'.length));
      const counted = (item: string) => k !== 'series' || !heldNames.some((name) => item.startsWith(`${name},`));
      const [x, y] = [a.filter(counted), b.filter(counted)];
      if (x.join() === y.join()) return '';
      const gone = x.filter((item) => !y.includes(item)).slice(0, 3);
      const added = y.filter((item) => !x.includes(item)).slice(0, 3);
      return `${k}: ${gone.map((item) => item.slice(0, 400)).join(' | ')} -> ${added.map((item) => item.slice(0, 400)).join(' | ')}`;
    })
    .filter((difference) => difference !== '');
}
