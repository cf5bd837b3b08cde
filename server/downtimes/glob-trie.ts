/**
 * Series globs filed under their literal leading segments, so the globs
 * that could match a series are found by walking its segments rather than
 * by testing every glob: `host.web01.*` sits under host → web01 and is only
 * a candidate for series starting `host.web01.`. A glob starting with a
 * wildcard (`**.disk.*`) sits at the root and is a candidate for every
 * series. Candidates still need their full pattern tested.
 */

interface TrieNode<T> {
  readonly children: Map<string, TrieNode<T>>;
  readonly here: Set<T>;
}

const node = <T>(): TrieNode<T> => ({ children: new Map(), here: new Set() });

export class GlobTrie<T> {
  private readonly root: TrieNode<T> = node();

  /** The literal segments before the first one with a `*`. */
  private static prefix(glob: string): string[] {
    const segments = glob.split('.');
    const wild = segments.findIndex((s) => s.includes('*'));
    return wild < 0 ? segments : segments.slice(0, wild);
  }

  add(glob: string, value: T): void {
    let at = this.root;
    for (const segment of GlobTrie.prefix(glob)) {
      let next = at.children.get(segment);
      if (!next) at.children.set(segment, (next = node()));
      at = next;
    }
    at.here.add(value);
  }

  delete(glob: string, value: T): void {
    let at: TrieNode<T> | undefined = this.root;
    for (const segment of GlobTrie.prefix(glob)) at = at?.children.get(segment);
    at?.here.delete(value);
  }

  /** Adds to `out` every value filed under a prefix of `series`'s segments. */
  collect(series: string, out: Set<T>): void {
    let at: TrieNode<T> | undefined = this.root;
    let from = 0;
    while (at) {
      for (const v of at.here) out.add(v);
      if (from > series.length) break;
      const dot = series.indexOf('.', from);
      const end = dot < 0 ? series.length : dot;
      at = at.children.get(series.slice(from, end));
      from = end + 1;
    }
  }
}
