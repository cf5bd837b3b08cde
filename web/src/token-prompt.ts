/**
 * The bridge between the API client, which finds out a token is needed, and
 * <rm-token-dialog>, which asks for it: requests that hit a 401 at the same
 * time share one prompt.
 */
import type { TokenPrompt, TokenRequest } from './api-client.js';

export interface TokenRequestDetail {
  readonly request: TokenRequest;
  /** Called once by the dialog: true when a token was saved. */
  readonly resolve: (given: boolean) => void;
}

declare global {
  interface WindowEventMap {
    'rm-token-request': CustomEvent<TokenRequestDetail>;
  }
}

let pending: Promise<boolean> | null = null;

export const promptForToken: TokenPrompt = (request) => {
  pending ??= new Promise<boolean>((resolve) => {
    const event = new CustomEvent<TokenRequestDetail>('rm-token-request', { detail: { request, resolve }, cancelable: true });
    // Nobody listening (no dialog on the page): give up rather than wait forever.
    if (window.dispatchEvent(event)) resolve(false);
  }).finally(() => {
    pending = null;
  });
  return pending;
};
