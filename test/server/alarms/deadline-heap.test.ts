/** The nodata deadlines' heap: earliest first, whatever the order of pushes and pops. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../../server/alarms/deadline-heap.js';

describe('DeadlineHeap', () => {
  it('is empty at first: no deadline, nothing to pop', () => {
    const heap = new DeadlineHeap<{ dueAt: number }>();
    expect(heap.nextDueAt()).toBe(Infinity);
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it('pops items by deadline, with pushes and pops interleaved', () => {
    // + 0: -0 and 0 tie in the heap but not for toBe.
    const operation = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0), fc.constant('pop' as const));
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const heap = new DeadlineHeap<{ dueAt: number }>();
        const model: number[] = [];
        for (const op of operations) {
          if (op === 'pop') {
            model.sort((a, b) => a - b);
            expect(heap.pop()?.dueAt).toBe(model.shift());
          } else {
            heap.push({ dueAt: op });
            model.push(op);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.nextDueAt()).toBe(model.length === 0 ? Infinity : Math.min(...model));
        }
      }),
    );
  });
});
