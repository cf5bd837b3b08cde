/**
 * archives.maxNewSeriesPerMinute: how many new series one writer (a token)
 * may make in a minute, like carbon's MAX_CREATES_PER_MINUTE but per token,
 * so one loader gone wrong cannot crowd out the others. Each writer has a
 * window of a minute from the first new series it makes; once the window
 * has passed, the count starts again. Series of writers not named are not
 * rated (the server's own slurpers, Graphite).
 */

const WINDOW_MS = 60_000;

export class NewSeriesRate {
  /** Per writer: when its window began (ms) and the new series made in it. */
  private readonly windows = new Map<string, { start: number; count: number; logged: boolean }>();

  constructor(
    /** The limit, or undefined for none. */
    private readonly limit: number | undefined,
    private readonly nowMs: () => number,
  ) {}

  /**
   * Why `writer` may make no new series now (a sentence naming the setting),
   * or undefined; `firstInWindow` is true the first time a window refuses,
   * so the caller logs once per writer per minute.
   */
  problem(writer: string | undefined): { message: string; firstInWindow: boolean } | undefined {
    if (this.limit === undefined || writer === undefined) return undefined;
    const window = this.window(writer);
    if (window.count < this.limit) return undefined;
    const firstInWindow = !window.logged;
    window.logged = true;
    const retry = Math.ceil((window.start + WINDOW_MS - this.nowMs()) / 1000);
    return {
      message: `new series refused: token '${writer}' made ${window.count} new series in the last minute, archives.maxNewSeriesPerMinute is ${this.limit}; try again in ${retry} s (known series are still stored)`,
      firstInWindow,
    };
  }

  /** Counts a new series `writer` made. */
  made(writer: string | undefined): void {
    if (this.limit === undefined || writer === undefined) return;
    this.window(writer).count++;
  }

  private window(writer: string): { start: number; count: number; logged: boolean } {
    const now = this.nowMs();
    let window = this.windows.get(writer);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      // Ended windows of other writers go too: the map holds the writers of the last minute.
      for (const [name, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(name);
      window = { start: now, count: 0, logged: false };
      this.windows.set(writer, window);
    }
    return window;
  }
}
