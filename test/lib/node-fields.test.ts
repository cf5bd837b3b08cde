/**
 * The rules of a node's metadata fields (lib/node-fields.ts), shared by the
 * mapping file, the server's door for labels and the agent: the field at
 * fault is said by its index, an empty value is absent, and a field named
 * __proto__ is a field like another (no prototype is touched).
 */
import { describe, expect, it } from 'vitest';
import { checkFields, checkLabels, MAX_FIELDS } from '../../lib/node-fields.js';

describe('checkFields', () => {
  it('keeps good fields in order, leaves empty ones out and names the first fault by its index', () => {
    expect(checkFields([['name', 'One'], ['note', ''], ['sites', ['a', 2]]])).toEqual({ fields: { name: 'One', sites: ['a', 2] } });
    expect(checkFields([['name', 'One'], ['name', 'Two']])).toEqual({ at: 1, problem: 'the field is given twice' });
    expect(checkFields([['a', 1], ['contacts', 'x@y.example; z@y.example'], ['owner', ['x']]])).toEqual({ at: 2, problem: 'must be a string' });
    expect(checkFields([['n', Number.POSITIVE_INFINITY]])).toEqual({ at: 0, problem: 'must be a finite number' });
    expect(checkFields(Array.from({ length: MAX_FIELDS + 1 }, (_, i) => [`f${i}`, i] as const))).toEqual({ problem: `${MAX_FIELDS + 1} fields; the limit is ${MAX_FIELDS}` });
  });

  it('takes __proto__ as a plain field', () => {
    const checked = checkLabels(JSON.parse('{"__proto__": "x", "name": "N"}') as Record<string, unknown>, false);
    expect('fields' in checked && Object.getPrototypeOf(checked.fields)).toBe(Object.prototype);
    expect('fields' in checked && Object.keys(checked.fields)).toEqual(['__proto__', 'name']);
  });
});
