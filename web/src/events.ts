/**
 * The components' own events: each is declared in HTMLElementEventMap with
 * its detail, and dispatched by emit, which bubbles it out of shadow roots
 * (so <rm-app> and the views hear it) and checks the detail against that
 * declaration.
 */

type DetailOf<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

export function emit<K extends keyof HTMLElementEventMap>(from: EventTarget, type: K, detail: DetailOf<K>): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
