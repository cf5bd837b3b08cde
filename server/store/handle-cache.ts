/**
 * The open archives of the store: at most `capacity` write handles, the
 * least recently used closed first, so that a flush of many series does not
 * run out of file descriptors and a busy series keeps its handle.
 */
import { openArchive, type ArchiveFile } from '../../archive/index.js';

export class HandleCache {
  /** Insertion order is use order: the first entry is the least recently used. */
  private readonly open = new Map<string, ArchiveFile>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`maxOpenArchives must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.open.size;
  }

  /** The open handle of `path`, opening it for writing if needed. Throws what openArchive throws (ENOENT, CorruptArchiveError). */
  get(path: string): ArchiveFile {
    let file = this.open.get(path);
    if (file) {
      this.open.delete(path);
    } else {
      file = openArchive(path, { write: true });
      this.evictDownTo(this.capacity - 1);
    }
    this.open.set(path, file);
    return file;
  }

  /** Whether `path` is open now. */
  has(path: string): boolean {
    return this.open.has(path);
  }

  /** Closes the handle of `path` if open: after an error, so that the next use reads the file afresh. */
  discard(path: string): void {
    const file = this.open.get(path);
    if (!file) return;
    this.open.delete(path);
    closeQuietly(file);
  }

  closeAll(): void {
    this.evictDownTo(0);
  }

  private evictDownTo(size: number): void {
    for (const [path, file] of this.open) {
      if (this.open.size <= size) return;
      this.open.delete(path);
      closeQuietly(file);
    }
  }
}

function closeQuietly(file: ArchiveFile): void {
  try {
    file.close();
  } catch {
    // Every commit is complete once updateArchiveFile returns; a failing close loses nothing.
  }
}
