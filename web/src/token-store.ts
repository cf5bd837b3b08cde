/**
 * The API token for this browser tab. It lives in sessionStorage (gone
 * when the tab closes) and never in the URL, which is shared and logged.
 */
const KEY = 'ringmon.token';

/** Dispatched on window whenever the token is saved or forgotten, so the header can say whether there is one. */
export const TOKEN_CHANGE = 'rm-token-change';

/** The token where storage is refused. */
let memoryToken: string | null = null;

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    // Storage can be disabled (privacy modes); the token then lives only as long as the page.
    return memoryToken;
  }
}

export function saveToken(token: string | null): void {
  memoryToken = token;
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // See readToken.
  }
  window.dispatchEvent(new Event(TOKEN_CHANGE));
}
