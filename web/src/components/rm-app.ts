/**
 * <rm-app> — the page: navigation between the views, the page state kept
 * in the URL (links and the back button work; a link shows someone else
 * the same view), a refresh every 30 s while the tab is visible, and the
 * token dialog.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { NavigateDetail } from '../navigation.js';
import { hrefFor } from '../navigation.js';
import { sharedStyles } from '../styles.js';
import { readToken, saveToken, TOKEN_CHANGE } from '../token-store.js';
import { DEFAULT_STATE, readState, writeState, type PageState, type View } from '../url-state.js';
import './rm-alarms-view.js';
import './rm-dashboards-view.js';
import './rm-downtimes-view.js';
import './rm-graph-view.js';
import './rm-heatmap-view.js';
import './rm-host-view.js';
import './rm-overview.js';
import './rm-reports-view.js';
import './rm-time-settings.js';
import './rm-token-dialog.js';

const REFRESH_MS = 30_000;

/** Where the heatmap entry leads: a month, in which daily buckets say something. */
const HEATMAP_START: PageState = { ...DEFAULT_STATE, range: { preset: '1M' } };

const TITLES: Record<View, string> = { overview: 'Overview', graph: 'Graph', downtimes: 'Downtimes', alarms: 'Alarms', heatmap: 'Heatmap', reports: 'Reports', dashboard: 'Dashboards', host: 'Host' };

/** The views the header links to: a host page is reached from the overview's groups and nodes. */
const NAV_VIEWS = (Object.keys(TITLES) as View[]).filter((v) => v !== 'host');

interface Refreshable extends HTMLElement {
  refresh(): Promise<void>;
}

export class RmApp extends LitElement {
  static override properties = { state: { state: true }, hasToken: { state: true }, timeRevision: { state: true } };

  static override styles = [
    sharedStyles,
    css`
      header {
        display: flex;
        align-items: center;
        gap: 1.5em;
        padding: 0.6em 1.2em;
        background: #1d2330;
        color: #fff;
      }
      header a {
        color: #fff;
      }
      .brand {
        font-weight: 700;
        letter-spacing: 0.02em;
      }
      nav ul {
        display: flex;
        gap: 1.1em;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        text-decoration: none;
        padding: 0.25em 0;
      }
      nav a[aria-current='page'] {
        border-bottom: 3px solid #f0a30a;
      }
      .spacer {
        flex: 1;
      }
      header button {
        background: transparent;
        color: #fff;
        border-color: #5b6472;
      }
      main {
        padding: 1em 1.2em 3em;
      }
      h1 {
        font-size: 1.35rem;
        margin: 0 0 0.7em;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5em;
        top: 0.5em;
        background: #fff;
        color: #000;
        padding: 0.4em;
        z-index: 5;
      }
    `,
  ];

  private state: PageState = readState(location.search);
  private hasToken = readToken() !== null;
  /** Counts changes of the time settings: the view is made anew with each, so every time it shows reads the new way. */
  private timeRevision = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  private readonly onPopState = () => {
    this.state = readState(location.search);
  };

  /** Same-page links (`./?view=…`) change the state in place; modified clicks open as the browser would. */
  private readonly onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const anchor = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || !anchor.href) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || url.pathname !== location.pathname) return;
    e.preventDefault();
    this.go(readState(url.search), false);
  };

  private readonly onNavigate = (e: CustomEvent<NavigateDetail>) => {
    this.go({ ...this.state, ...e.detail.change }, e.detail.replace ?? false);
  };

  /** A token given in the dialog (or forgotten) on any page, however it was opened, shows (or hides) "Forget token". */
  private readonly onTokenChange = () => {
    this.hasToken = readToken() !== null;
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') void this.refreshView();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('click', this.onClick);
    this.addEventListener('rm-navigate', this.onNavigate);
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener(TOKEN_CHANGE, this.onTokenChange);
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refreshView();
    }, REFRESH_MS);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.removeEventListener('click', this.onClick);
    this.removeEventListener('rm-navigate', this.onNavigate);
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener(TOKEN_CHANGE, this.onTokenChange);
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  private go(state: PageState, replace: boolean): void {
    const url = `${location.pathname}${writeState(state)}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    const viewChanged = state.view !== this.state.view;
    this.state = state;
    if (viewChanged) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h1')?.focus());
  }

  private refreshView(): Promise<void> | undefined {
    return this.renderRoot.querySelector<Refreshable>('main > [data-view]')?.refresh();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('state' as keyof RmApp)) document.title = `${TITLES[this.state.view]} · ringmon`;
  }

  private forgetToken(): void {
    saveToken(null);
    this.hasToken = false;
  }

  private renderView() {
    const s = this.state;
    switch (s.view) {
      case 'overview':
        return html`<rm-overview data-view .filter=${s.filter} .states=${s.states} .problems=${s.problems ?? false} .node=${s.node ?? ''}></rm-overview>`;
      case 'graph':
        return html`<rm-graph-view data-view .series=${s.series} .range=${s.range} .cf=${s.cf}></rm-graph-view>`;
      case 'downtimes':
        return html`<rm-downtimes-view data-view></rm-downtimes-view>`;
      case 'alarms':
        return html`<rm-alarms-view data-view></rm-alarms-view>`;
      case 'heatmap':
        return html`<rm-heatmap-view data-view .view=${s.heatmap ?? ''} .match=${s.match ?? ''} .bucket=${s.bucket ?? ''} .range=${s.range} .cf=${s.cf}></rm-heatmap-view>`;
      case 'reports':
        return html`<rm-reports-view data-view></rm-reports-view>`;
      case 'dashboard':
        return html`<rm-dashboards-view data-view .dashboard=${s.dashboard ?? ''}></rm-dashboards-view>`;
      case 'host':
        return html`<rm-host-view data-view .host=${s.host ?? ''} .range=${s.range}></rm-host-view>`;
      default: {
        const never: never = s.view;
        return never;
      }
    }
  }

  override render() {
    const view = this.state.view;
    return html`
      <header>
        <a class="skip" href="#main" @click=${(e: Event) => (e.preventDefault(), this.renderRoot.querySelector<HTMLElement>('h1')?.focus())}>Skip to content</a>
        <span class="brand">ringmon</span>
        <nav aria-label="Views">
          <ul>
            ${NAV_VIEWS.map(
              (v) => html`<li><a href=${hrefFor({ ...(v === 'graph' ? this.state : v === 'heatmap' ? HEATMAP_START : DEFAULT_STATE), view: v })} aria-current=${v === view ? 'page' : 'false'}>${TITLES[v]}</a></li>`,
            )}
          </ul>
        </nav>
        <span class="spacer"></span>
        <rm-time-settings @rm-time-settings=${() => this.timeRevision++}></rm-time-settings>
        ${this.hasToken ? html`<button type="button" @click=${this.forgetToken}>Forget token</button>` : ''}
        <a href="/docs">API</a>
      </header>
      <main id="main">
        <h1 tabindex="-1">${TITLES[view]}</h1>
        ${keyed(this.timeRevision, this.renderView())}
      </main>
      <rm-token-dialog></rm-token-dialog>
    `;
  }
}

customElements.define('rm-app', RmApp);

declare global {
  interface HTMLElementTagNameMap {
    'rm-app': RmApp;
  }
}
