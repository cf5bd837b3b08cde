/** What a reload does to the instances, by name: started, stopped, restarted (any setting changed), the rest untouched. */
import { describe, expect, it } from 'vitest';
import { describeChanges, instanceChanges } from '../../../server/slurpers/instance-changes.js';
import type { InstanceConfig } from '../../../slurpers/index.js';

const http = (name: string, url = 'http://a/', every = 10): InstanceConfig => ({ slurper: 'http', name, every, options: { url } });

describe('instanceChanges', () => {
  it('starts the new names, stops the gone ones, restarts those with any setting changed', () => {
    const running = [http('kept'), http('gone'), http('url'), http('every')];
    const next = [http('every', 'http://a/', 30), http('added'), http('url', 'http://b/'), http('kept')];
    const changes = instanceChanges(running, next);
    expect(changes).toEqual({ started: ['added'], stopped: ['gone'], restarted: ['every', 'url'] });
    expect(describeChanges(changes)).toBe('started added; stopped gone; restarted every, url');
  });

  it('changes nothing for the same instances in another order', () => {
    const changes = instanceChanges([http('a'), http('b')], [http('b'), http('a')]);
    expect(changes).toEqual({ started: [], stopped: [], restarted: [] });
    expect(describeChanges(changes)).toBe('none changed');
  });
});
