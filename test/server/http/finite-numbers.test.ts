/**
 * ajv coerces '-Infinity', 'Infinity' and '1e400' in a query string or path
 * to numbers that passed `integer`, `minimum` and `maximum` (the fuzz test
 * found GET /api/v1/agents?limit=-Infinity answering 500): buildApp's
 * validators refuse them with a 400 naming the field; finite numbers are
 * unchanged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';

const app = await buildApp({ web: false });
app.get('/bounded/:id', {
  schema: {
    params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } },
    querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, at: { type: 'array', items: { type: 'number' } } } },
  },
}, async (request) => ({ query: request.query, params: request.params }));
afterAll(() => app.close());

describe('numbers coerced from text', () => {
  it.each(['Infinity', '-Infinity', '1e400', '-1e400'])('refuses limit=%s with a 400 naming the field', async (value) => {
    const answer = await app.inject({ url: `/bounded/1?limit=${value}` });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.message).toContain('querystring/limit');
  });

  it('refuses a non-finite item of a list and a non-finite path parameter', async () => {
    expect((await app.inject({ url: '/bounded/1?at=1&at=-Infinity' })).statusCode).toBe(400);
    const path = await app.inject({ url: '/bounded/Infinity' });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.message).toContain('params/id');
  });

  it('keeps finite numbers and the schema errors it had', async () => {
    expect((await app.inject({ url: '/bounded/7?limit=1000&at=1.5&at=-2' })).json()).toEqual({ query: { limit: 1000, at: [1.5, -2] }, params: { id: 7 } });
    expect((await app.inject({ url: '/bounded/1?limit=0' })).json().error.message).toContain('must be >= 1');
  });
});
