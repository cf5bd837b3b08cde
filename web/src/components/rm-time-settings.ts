/**
 * <rm-time-settings> — how the page shows times, chosen once (kept in
 * localStorage): the locale's clock or 24 hours, and local time or UTC,
 * with the zone in force named beside them. A change applies it
 * (format.ts) and fires `rm-time-settings` so the page draws its times again.
 */
import { LitElement, css, html } from 'lit';
import { emit } from '../events.js';
import { applyTimeSettings, timeSettings, zoneName } from '../format.js';
import type { TimeSettings } from '../time-settings.js';

declare global {
  interface HTMLElementEventMap {
    'rm-time-settings': CustomEvent<TimeSettings>;
  }
}

export class RmTimeSettings extends LitElement {
  static override properties = { settings: { state: true } };

  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.8em;
      font-size: 0.85rem;
    }
    select {
      font: inherit;
    }
    .zone {
      font-weight: 600;
    }
  `;

  private settings: TimeSettings = timeSettings();

  private change(next: Partial<TimeSettings>): void {
    this.settings = { ...this.settings, ...next };
    applyTimeSettings(this.settings);
    emit(this, 'rm-time-settings', this.settings);
  }

  override render() {
    return html`<label
        >Clock
        <select id="clock" @change=${(e: Event) => this.change({ clock: (e.target as HTMLSelectElement).value === '24h' ? '24h' : 'locale' })}>
          <option value="locale" ?selected=${this.settings.clock === 'locale'}>as the language writes it</option>
          <option value="24h" ?selected=${this.settings.clock === '24h'}>24 hours</option>
        </select></label
      >
      <label><input id="utc" type="checkbox" .checked=${this.settings.utc} @change=${(e: Event) => this.change({ utc: (e.target as HTMLInputElement).checked })} /> UTC</label>
      <span>times in <span class="zone" id="zone">${zoneName()}</span></span>`;
  }
}

customElements.define('rm-time-settings', RmTimeSettings);

declare global {
  interface HTMLElementTagNameMap {
    'rm-time-settings': RmTimeSettings;
  }
}
