/** One request to a running server's JSON API over loopback, as the API tests make it. */
import { request } from 'undici';

export interface ApiAnswer {
  readonly status: number;
  /** The parsed body; undefined for an empty one (204). */
  readonly json: Record<string, any>; // any: test assertions walk arbitrary JSON
}

/** `token` goes in the Authorization header; `body` is sent as JSON. */
export async function apiCall(base: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, token: string | undefined, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}
