/**
 * A binary min-heap of items by `dueAt`, for the nodata check: the earliest
 * deadline is looked at without scanning every alarmed series. The owner may
 * let an item's real deadline move later without telling the heap (every
 * sample does), as long as `dueAt` never goes above it; whoever pops an item
 * not yet really due pushes it back with its real deadline.
 */
export interface Deadline {
  /** A lower bound of the item's deadline; changed only while the item is out of the heap. */
  dueAt: number;
}

export class DeadlineHeap<T extends Deadline> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest deadline; Infinity when empty. */
  nextDueAt(): number {
    return this.items.length === 0 ? Infinity : this.items[0].dueAt;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].dueAt <= item.dueAt) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the item of the earliest deadline; undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right].dueAt < items[left].dueAt ? right : left;
      if (items[child].dueAt >= last.dueAt) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
