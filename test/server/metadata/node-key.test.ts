/** metadata.key: the segment of a series that names its node. */
import { describe, expect, it } from 'vitest';
import { checkNodeKey, compileNodeKey } from '../../../server/metadata/index.js';

describe('node key', () => {
  it('finds the node at the {node} segment of matching series only', () => {
    const key = compileNodeKey('broker.age.{node}');
    expect(key('broker.age.b07')).toBe('b07');
    expect(key('broker.age.b07.x')).toBeUndefined();
    expect(key('broker.state.b07')).toBeUndefined();
    const deep = compileNodeKey('*.{node}.**');
    expect(deep('site.b07.cpu.user')).toBe('b07');
    expect(deep('site.b07')).toBeUndefined();
  });

  it.each([
    ['broker.age', /must have one whole segment \{node\}/],
    ['a.{node}.{node}', /more than once/],
    ['**.{node}', /\*\* before \{node\}/],
    ['a.b{node}', /must have one whole segment/],
    ['a[0].{node}', /is not allowed in a pattern/],
  ])('refuses %s', (key, message) => {
    expect(checkNodeKey(key)).toMatch(message);
    expect(() => compileNodeKey(key)).toThrow(message);
  });
});
