/**
 * The roles a token may hold, and what each lets it do: least privilege, so
 * a token in an agent's or a loader's hands can write samples and nothing
 * else.
 *
 * A route requires one of four route roles (the `RouteRole`s); a token's
 * role grants some of them:
 *
 *     token role   viewer  ingest  operator  admin   what it is for
 *     viewer         yes     -        -        -     dashboards, Grafana, scrapers: every read but the notification log
 *     ingest          -     yes       -        -     agents and loaders: samples and agent heartbeats only, no reads
 *     operator       yes     -       yes       -     people on call: reads, plus the notification log (recipients'
 *                                                    addresses), acknowledging alarms, filing, changing and
 *                                                    ending downtimes, and saving and deleting dashboards
 *     writer         yes    yes      yes       -     DEPRECATED: what writer could do before roles were split
 *     admin          yes    yes      yes      yes    everything, the admin routes too
 *
 * `writer` stays valid in token files so that existing tokens keep exactly
 * the rights they had (reads, ingest, downtimes); it is deprecated, and
 * `ringmon token set-role NAME --role ingest|operator` narrows one in place.
 * No route requires `writer`: a route names the narrowest route role that
 * fits it, and the route × role matrix (docs/security.md, tested route by
 * route in test/server/auth/role-matrix.test.ts) must list every new route.
 *
 * The token file stores role names, so names are never reused for other
 * rights; a new role is appended.
 */

/** Every role a token may hold, in the order `ringmon token` lists them. */
export const ROLES = ['viewer', 'ingest', 'operator', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route may require: a token role other than the deprecated `writer`. */
export type RouteRole = Exclude<Role, 'writer'>;

/** The route roles each token role satisfies. */
const GRANTS: Readonly<Record<Role, readonly RouteRole[]>> = {
  viewer: ['viewer'],
  ingest: ['ingest'],
  operator: ['viewer', 'operator'],
  writer: ['viewer', 'ingest', 'operator'],
  admin: ['viewer', 'ingest', 'operator', 'admin'],
};

/** The roles, as help and error messages list them: "viewer, ingest, operator, writer or admin". */
export const ROLE_LIST = `${ROLES.slice(0, -1).join(', ')} or ${ROLES[ROLES.length - 1]}`;

/** One line per role for --help texts. */
export const ROLE_HELP = [
  'viewer    reads: series, fetch, alarms, downtimes, agents, /metrics',
  'ingest    writes samples and agent heartbeats, nothing else (agents, loaders)',
  'operator  viewer, plus the notification log, acknowledging alarms, downtimes, and saving dashboards',
  'writer    deprecated: ingest and operator together (what writer always meant)',
  'admin     everything, including the admin routes',
].join('\n');

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a token holding `held` may use a route that requires `needed`. */
export function roleIncludes(held: Role, needed: RouteRole): boolean {
  return GRANTS[held].includes(needed);
}
