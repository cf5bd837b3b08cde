import { describe, expect, it } from 'vitest';
import { Type } from '../../../slurpers/contract.js';
import { prepareOptions, SchemaError } from '../../../slurpers/host/options.js';

const schema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', 'x-expected': 'an http:// or https:// URL' }),
    retries: Type.Integer({ minimum: 0, maximum: 5, default: 2 }),
    method: Type.Union([Type.Literal('GET'), Type.Literal('HEAD')], { default: 'GET' }),
    tls: Type.Object({ verify: Type.Boolean({ default: true }) }, { default: {}, additionalProperties: false }),
    hosts: Type.Array(Type.Object({ port: Type.Integer({ minimum: 1 }) }), { default: [] }),
  },
  { additionalProperties: false },
);

function problems(raw: unknown): readonly string[] {
  try {
    prepareOptions(schema, raw, 'slurpers.web01.options');
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as SchemaError).problems;
  }
  throw new Error('expected a SchemaError');
}

describe('prepareOptions', () => {
  it('fills in defaults, nested ones too, without touching the input', () => {
    const raw = { url: 'https://example.org/' };
    expect(prepareOptions(schema, raw, 'x')).toEqual({ url: 'https://example.org/', retries: 2, method: 'GET', tls: { verify: true }, hosts: [] });
    expect(raw).toEqual({ url: 'https://example.org/' });
  });

  it('fills in the defaults of a plain JSON Schema too (a JavaScript slurper without TypeBox)', () => {
    const plain = {
      type: 'object',
      properties: { path: { type: 'string', default: '/proc/uptime' }, limits: { type: 'object', default: {}, properties: { max: { type: 'number', default: 9 } } } },
    };
    expect(prepareOptions(Type.Unsafe(plain), {}, 'x')).toEqual({ path: '/proc/uptime', limits: { max: 9 } });
  });

  it('treats absent options as an empty mapping', () => {
    expect(prepareOptions(Type.Object({ n: Type.Number({ default: 1 }) }), undefined, 'x')).toEqual({ n: 1 });
  });

  it('names each key at fault, with what it must be and what it was', () => {
    expect(problems({ retries: 9, method: 'POST', ulr: 'x', tls: { verify: 'yes' }, hosts: [{ port: 0 }] })).toEqual([
      'slurpers.web01.options.url: is required; must be an http:// or https:// URL',
      'slurpers.web01.options.ulr: unknown key (allowed: url, retries, method, tls, hosts)',
      'slurpers.web01.options.retries: must be an integer >= 0 and <= 5, got 9',
      'slurpers.web01.options.method: must be "GET" or "HEAD", got "POST"',
      'slurpers.web01.options.tls.verify: must be true or false, got "yes"',
      'slurpers.web01.options.hosts[0].port: must be an integer >= 1, got 0',
    ].sort((a, b) => problemsOrder(a) - problemsOrder(b)));
  });

  it('says a string was expected where a number was given', () => {
    expect(problems({ url: 42 })).toEqual(['slurpers.web01.options.url: must be an http:// or https:// URL, got 42']);
    expect(problems({ url: 'ftp://x' })).toEqual(['slurpers.web01.options.url: must be an http:// or https:// URL, got "ftp://x"']);
  });

  it('refuses options that are not a mapping', () => {
    expect(problems(['a'])).toEqual(['slurpers.web01.options: must be a mapping of keys to values, got a list']);
  });
});

// The order is TypeBox's; the test only cares that every problem is there once.
function problemsOrder(line: string): number {
  return ['url: is', 'ulr', 'retries', 'method', 'tls', 'hosts'].findIndex((k) => line.includes(`options.${k}`));
}
