/**
 * <rm-token-dialog> — asks for an API token when the server refuses a
 * request without one (see token-prompt). The token is kept for this tab
 * only (sessionStorage), never in the URL.
 */
import { LitElement, css, html } from 'lit';
import type { TokenRequestDetail } from '../token-prompt.js';
import { saveToken } from '../token-store.js';
import { sharedStyles } from '../styles.js';

export class RmTokenDialog extends LitElement {
  static override properties = { request: { state: true } };

  static override styles = [
    sharedStyles,
    css`
      dialog {
        border: 1px solid var(--rm-border);
        border-radius: 6px;
        max-width: 28em;
      }
      form {
        display: flex;
        flex-direction: column;
        gap: 0.7em;
      }
      .actions {
        display: flex;
        gap: 0.6em;
        justify-content: flex-end;
      }
    `,
  ];

  private request: TokenRequestDetail | null = null;

  private readonly onRequest = (e: CustomEvent<TokenRequestDetail>) => {
    e.preventDefault();
    this.request?.resolve(false);
    this.request = e.detail;
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector('dialog');
      if (dialog && !dialog.open) dialog.showModal();
      this.renderRoot.querySelector('input')?.focus();
    });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('rm-token-request', this.onRequest);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('rm-token-request', this.onRequest);
    this.finish(false);
    super.disconnectedCallback();
  }

  private finish(given: boolean): void {
    const request = this.request;
    this.request = null;
    this.renderRoot.querySelector('dialog')?.close();
    request?.resolve(given);
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const input = this.renderRoot.querySelector('input');
    const token = input?.value.trim() ?? '';
    if (!token) return;
    saveToken(token);
    if (input) input.value = '';
    this.finish(true);
  }

  override render() {
    const r = this.request?.request;
    const why = r?.write ? 'This change needs a token with the operator role (or the older writer role).' : 'Reading needs a token on this server.';
    return html`<dialog aria-labelledby="token-title" @cancel=${() => this.finish(false)}>
      <form @submit=${this.submit}>
        <h2 id="token-title">API token</h2>
        <p>${why} <span class="muted">(${r?.message ?? ''})</span></p>
        <label>Token <input type="password" name="token" autocomplete="off" required /></label>
        <p class="muted">Kept for this browser tab only.</p>
        <div class="actions">
          <button type="button" @click=${() => this.finish(false)}>Cancel</button>
          <button type="submit" class="primary">Use token</button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('rm-token-dialog', RmTokenDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rm-token-dialog': RmTokenDialog;
  }
}
