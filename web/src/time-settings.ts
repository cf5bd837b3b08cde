/**
 * How the page shows times, chosen once for the browser (localStorage, so
 * every tab and every later visit read times the same way): the locale's
 * clock or 24 hours, and local time or UTC. format.ts applies it.
 */

export interface TimeSettings {
  /** `locale`: as the browser's language writes times (`7:05 pm` or `19:05`); `24h`: always `19:05`. */
  readonly clock: 'locale' | '24h';
  /** Times in UTC instead of the browser's time zone. */
  readonly utc: boolean;
}

export const DEFAULT_TIME_SETTINGS: TimeSettings = { clock: 'locale', utc: false };

const KEY = 'ringmon.time';

/** What is used of localStorage; absent where there is none (the formatters' unit tests run outside a browser). */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function store(): KeyValueStore | undefined {
  return (globalThis as { localStorage?: KeyValueStore }).localStorage;
}

/** The saved choice; the default where there is none, it is unreadable, or storage is off. */
export function loadTimeSettings(): TimeSettings {
  try {
    const saved = JSON.parse(store()?.getItem(KEY) ?? 'null') as Partial<TimeSettings> | null;
    return { clock: saved?.clock === '24h' ? '24h' : 'locale', utc: saved?.utc === true };
  } catch {
    return DEFAULT_TIME_SETTINGS;
  }
}

export function saveTimeSettings(settings: TimeSettings): void {
  try {
    store()?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage refused (private mode, quota): the choice holds for this page only.
  }
}
