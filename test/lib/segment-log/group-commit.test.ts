/**
 * Group commit on its own: one commit at a time, everything submitted
 * meanwhile in the next group, a failure confined to its group, groups
 * bounded by weight.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../lib/segment-log/group-commit.js';

function recorder(fail?: (items: readonly number[]) => boolean) {
  const groups: number[][] = [];
  let running = 0;
  const commit = async (items: readonly number[]): Promise<string[]> => {
    expect(running++, 'two commits at once').toBe(0);
    groups.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    if (fail?.(items)) throw new Error(`group ${items.join(',')} failed`);
    return items.map((i) => `done ${i}`);
  };
  return { commit, groups };
}

describe('GroupCommit', () => {
  it('commits a tick of submits together, and what comes during a commit in the next group', async () => {
    const { commit, groups } = recorder();
    const group = new GroupCommit(commit, () => 1, 1000);
    const first = [1, 2, 3].map((i) => group.submit(i));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const second = [4, 5].map((i) => group.submit(i));
    expect(await Promise.all([...first, ...second])).toEqual([1, 2, 3, 4, 5].map((i) => `done ${i}`));
    expect(groups).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('rejects only the group whose commit failed', async () => {
    const { commit } = recorder((items) => items.includes(2));
    const group = new GroupCommit(commit, () => 1, 1000);
    const first = [1, 2].map((i) => group.submit(i));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = group.submit(3);
    const settled = await Promise.allSettled([...first, later]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((settled[0] as PromiseRejectedResult).reason.message).toBe('group 1,2 failed');
  });

  it('bounds a group by weight, letting a heavier single item go alone, and drains', async () => {
    const { commit, groups } = recorder();
    const group = new GroupCommit(commit, (i: number) => i, 10);
    const all = [4, 4, 4, 30, 1].map((i) => group.submit(i));
    await group.drain();
    expect(groups).toEqual([[4, 4], [4], [30], [1]]);
    await Promise.all(all);
  });
});
