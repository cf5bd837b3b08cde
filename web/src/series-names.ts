/**
 * Every series name, for autocompletion: loaded once and shared by every
 * input that offers them, then reloaded when a minute old.
 */
import { api } from './services.js';

const MAX_AGE_MS = 60_000;
let cached: { at: number; names: Promise<string[]> } | undefined;

export function seriesNames(): Promise<string[]> {
  if (!cached || Date.now() - cached.at > MAX_AGE_MS) {
    const names = api.series(undefined).then((list) => list.map((s) => s.series));
    names.catch(() => {
      cached = undefined;
    });
    cached = { at: Date.now(), names };
  }
  return cached.names;
}
