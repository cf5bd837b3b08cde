/**
 * One fuzz request per draw, for one route: either what a good client sends
 * (values from the route's schemas, with any role's token) or that with one
 * mutation: a field replaced by a hostile value, removed or added; the body
 * replaced, broken, sent as another content type or oversized; a query
 * parameter replaced, dropped or the query broken; a path parameter replaced;
 * another method; another token or none. Every request is plain data, so a
 * failing one can be printed and replayed with curl.
 */
import fc from 'fast-check';
import { badContentTypes, brokenJsonTexts, brokenQueries, hostileValues, otherMethods } from './hostile-values.js';
import type { FuzzRoute, JsonSchema } from './openapi-routes.js';
import { valuesOf, type KnownValues } from './schema-values.js';

export interface FuzzRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Whose token: a role, 'none' (no header) or 'bogus' (a malformed one). */
  readonly token: string;
  readonly contentType?: string;
  readonly body?: string;
  /** Instead of `body`: this many bytes of a JSON array, made at send (over the body limit). */
  readonly oversizedBody?: number;
  /** The route as documented, and what was changed ('valid' when nothing). */
  readonly route: string;
  readonly mutation: string;
}

/** Methods that may change state; the others are sent concurrently, without fingerprints. */
export const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const MUTATIONS = ['field', 'drop', 'extra', 'body', 'json', 'contentType', 'oversized', 'param', 'query', 'path', 'method', 'token'] as const;
type Mutation = (typeof MUTATIONS)[number] | 'valid';

/** Every place in a JSON value, as a list of keys from the root. */
function placesOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.slice(0, 20).forEach((item, k) => placesOf(item, [...at, k], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) placesOf(item, [...at, key], out);
  return out;
}

/** `value` with the place `at` replaced by `by` (or removed when `by` is `REMOVE`); the root replaced when `at` is empty. */
const REMOVE = Symbol('remove');
function changed(value: unknown, at: readonly (string | number)[], by: unknown): unknown {
  if (at.length === 0) return by === REMOVE ? undefined : by;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) }; // any: a copy of arbitrary JSON
  const [head, ...rest] = at;
  if (rest.length === 0) {
    if (by === REMOVE) {
      if (Array.isArray(copy)) copy.splice(Number(head), 1);
      else delete copy[head];
    } else copy[head] = by;
  } else copy[head] = changed(copy[head], rest, by);
  return copy;
}

/** Percent-encoded; a lone surrogate becomes the bytes ED A0 80, which are not UTF-8 either. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.split(/[\ud800-\udfff]/).map(encodeURIComponent).join('%ED%A0%80');
  }
}

/** A query parameter's value as text: arrays repeat the parameter. */
function queryText(values: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) parts.push(`${encode(name)}=${encode(typeof item === 'string' ? item : JSON.stringify(item))}`);
  }
  return parts.join('&');
}

function stringify(value: unknown): string {
  return value === undefined ? '' : (JSON.stringify(value) ?? '');
}

/** `values` with start before end and from before to, as a good client writes them (the schemas cannot say so). */
function inOrder(values: unknown): unknown {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return values;
  const copy: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  for (const [first, second] of [['start', 'end'], ['from', 'to']]) {
    const a = copy[first];
    const b = copy[second];
    if (typeof a === typeof b && (typeof a === 'number' || typeof a === 'string') && (a as number) > (b as number)) [copy[first], copy[second]] = [b, a];
  }
  return copy;
}

/** Requests for `route`; `roles` are the token roles the server has (plus 'none' and 'bogus'). */
export function requestsFor(route: FuzzRoute, known: KnownValues, roles: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.record(Object.fromEntries(route.pathParams.map((p) => [p.name, valuesOf(p.schema, known, p.name)])));
  const queryModel = Object.fromEntries(route.query.map((q) => [q.name, valuesOf(q.schema, known, q.name)]));
  const queryValues = fc.record(queryModel, { requiredKeys: route.query.filter((q) => q.required).map((q) => q.name) });
  const bodyValue: fc.Arbitrary<unknown> = route.body ? valuesOf(route.body as JsonSchema, known) : fc.constant(undefined);
  const mutation = fc.oneof(
    { arbitrary: fc.constant<Mutation>('valid'), weight: 2000 },
    { arbitrary: fc.constantFrom<Mutation>(...MUTATIONS.filter((m) => m !== 'oversized')), weight: 8000 },
    // About 1 in 10,000 requests: each costs 10 MiB on loopback.
    { arbitrary: fc.constant<Mutation>('oversized'), weight: 1 },
  );
  const token = fc.oneof({ arbitrary: fc.constant('admin'), weight: 4 }, { arbitrary: fc.constantFrom(...roles, 'none', 'bogus'), weight: 2 });
  return fc
    .record({ path: pathValues, query: queryValues, body: bodyValue, mutation, token, hostile: hostileValues, pick: fc.nat(), json: brokenJsonTexts, contentType: badContentTypes, brokenQuery: brokenQueries, method: otherMethods, extraKey: fc.constantFrom('__proto__', 'constructor', 'x', '', 'series', 'admin', 'role') })
    .map((d) => {
      let path = d.path as Record<string, unknown>;
      let query = inOrder(d.query) as Record<string, unknown>;
      let body = inOrder(d.body);
      let method = route.method;
      let contentType: string | undefined = route.body ? 'application/json' : undefined;
      let rawBody: string | undefined;
      let rawQuery: string | undefined;
      let oversizedBody: number | undefined;
      let tokenRole = d.token;
      // Without a body, a field mutation falls on the query.
      const kind: Mutation = !route.body && (d.mutation === 'field' || d.mutation === 'extra') ? 'param' : d.mutation;
      switch (kind) {
        case 'valid':
          break;
        case 'field': {
          const places = placesOf(body);
          body = changed(body, places[d.pick % places.length], d.hostile);
          break;
        }
        case 'drop': {
          const places = placesOf(body).filter((p) => p.length > 0);
          if (places.length > 0) body = changed(body, places[d.pick % places.length], REMOVE);
          else query = Object.fromEntries(Object.entries(query).slice(1));
          break;
        }
        case 'extra': {
          const objects = placesOf(body).filter((p) => p.length === 0 || typeof p[p.length - 1] === 'string');
          const at = objects[d.pick % objects.length];
          if (body !== null && typeof body === 'object') body = changed(body, [...at, d.extraKey], d.hostile);
          else query = { ...query, [d.extraKey || 'x']: d.hostile };
          break;
        }
        case 'body':
          body = d.hostile;
          contentType = 'application/json';
          break;
        case 'json':
          rawBody = d.json;
          contentType = 'application/json';
          break;
        case 'contentType':
          rawBody = stringify(body) || 'x=1';
          contentType = d.contentType;
          break;
        case 'oversized':
          oversizedBody = 10 * 2 ** 20 + 1024 + (d.pick % 4096);
          contentType = 'application/json';
          break;
        case 'param': {
          const names = route.query.map((q) => q.name);
          query = { ...query, [names.length > 0 ? names[d.pick % names.length] : 'x']: d.hostile };
          break;
        }
        case 'query':
          rawQuery = d.brokenQuery;
          break;
        case 'path': {
          const names = route.pathParams.map((p) => p.name);
          if (names.length > 0) path = { ...path, [names[d.pick % names.length]]: d.hostile };
          else rawQuery = `${queryText(query)}/..%2f..%2f..%2fetc%2fpasswd`;
          break;
        }
        case 'method':
          method = d.method;
          break;
        case 'token':
          tokenRole = ['none', 'bogus', ...roles][d.pick % (roles.length + 2)];
          break;
      }
      const filled = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = path[name];
        return encode(typeof value === 'string' ? value : stringify(value));
      });
      const search = rawQuery ?? queryText(query);
      const text = rawBody ?? (route.body || kind === 'body' ? stringify(body) : undefined);
      return {
        method,
        url: search ? `${filled}?${search}` : filled,
        token: tokenRole,
        contentType,
        body: oversizedBody === undefined ? text : undefined,
        oversizedBody,
        route: `${route.method} ${route.path}`,
        mutation: kind,
      } satisfies FuzzRequest;
    });
}
