/**
 * <rm-reports-view> — the configured reports and their archived runs
 * (GET /api/v1/reports): for each run its time and links to its HTML and
 * CSV. A link downloads the file with the page's token (the API needs it in
 * a header, which a plain link cannot send): fetched, then saved from a
 * blob URL under the file's own name. Says so when the server has no
 * reports API or no reports configured.
 */
import { LitElement, css, html, nothing } from 'lit';
import { HttpError } from '../api-client.js';
import { errorText, formatTime } from '../format.js';
import { LoadTask } from '../load-task.js';
import { api } from '../services.js';
import { sharedStyles } from '../styles.js';
import { formatUnit } from '../units.js';
import { readToken } from '../token-store.js';

/** One archived file of a run, as the API lists it. */
export interface ReportFile {
  readonly kind: 'csv' | 'html' | 'png';
  readonly file: string;
  readonly bytes: number;
  readonly url: string;
}

/** A report and its newest runs, as GET /api/v1/reports answers. */
export interface ReportListing {
  readonly name: string;
  readonly title: string | null;
  readonly cron: string;
  readonly timezone: string;
  readonly keepSeconds: number;
  readonly lastEnd: string | null;
  readonly runs: readonly { readonly run: string; readonly at: string; readonly files: readonly ReportFile[] }[];
  readonly next?: string;
}

/** Runs shown per report: the newest; the API pages the rest. */
const RUNS_SHOWN = 100;

export class RmReportsView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .files span {
        margin: 0 1.5em 0 0.3em;
      }
    `,
  ];
  static override properties = { downloadError: { state: true } };

  private readonly load = new LoadTask<ReportListing[] | null>(this);
  downloadError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  refresh(): Promise<void> {
    return this.load.run(async (signal) => {
      try {
        return (await api.client.get<{ reports: ReportListing[] }>('/api/v1/reports', { limit: RUNS_SHOWN }, signal)).reports;
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) return null;
        throw e;
      }
    });
  }

  /** Fetches the file with the token and saves it under its name. */
  private async download(event: Event, file: ReportFile): Promise<void> {
    event.preventDefault();
    this.downloadError = '';
    try {
      const token = readToken();
      const res = await fetch(file.url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      const href = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = href;
      link.download = file.file;
      link.click();
      // Revoked once the browser has taken the download.
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      this.downloadError = `Could not download ${file.file}: ${errorText(e)}`;
    }
  }

  private renderReport(report: ReportListing) {
    const days = Math.round(report.keepSeconds / 86_400);
    return html`
      <section data-report=${report.name}>
        <h2>${report.title ?? report.name}</h2>
        <p class="muted">
          ${report.name}: runs at <code>${report.cron}</code> (${report.timezone}); copies kept ${days} days.
          ${report.lastEnd === null ? 'Its first scheduled run covers the last 24 hours.' : html`The next run covers the time since ${formatTime(report.lastEnd)}.`}
        </p>
        ${report.runs.length === 0
          ? html`<p class="muted">No runs archived yet.</p>`
          : html`<table>
              <thead>
                <tr><th scope="col">Run</th><th scope="col">Files</th></tr>
              </thead>
              <tbody>
                ${report.runs.map(
                  (run) => html`<tr data-run=${run.run}>
                    <td>${formatTime(run.at)}</td>
                    <td class="files">
                      ${run.files.map(
                        (file) => html`<a href=${file.url} download=${file.file} data-kind=${file.kind} @click=${(e: Event) => void this.download(e, file)}>${file.kind.toUpperCase()}</a>
                          <span class="muted">${formatUnit(file.bytes, 'B')}</span>`,
                      )}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
        ${report.next === undefined ? nothing : html`<p class="muted">Older runs: GET /api/v1/reports?name=${report.name}&amp;before=${report.next}</p>`}
      </section>
    `;
  }

  override render() {
    const reports = this.load.value;
    if (this.load.status === 'error') return html`<p class="error" role="alert">Could not load the reports: ${this.load.errorMessage}</p>`;
    if (reports === undefined) return html`<p class="muted" role="status">Loading…</p>`;
    if (reports === null) return html`<p class="muted" id="no-reports">This server has no reports API.</p>`;
    if (reports.length === 0) return html`<p class="muted" id="no-reports">No reports are configured (reports in the config, docs/reports.md).</p>`;
    return html`${this.downloadError === '' ? nothing : html`<p class="error" role="alert">${this.downloadError}</p>`} ${reports.map((report) => this.renderReport(report))}`;
  }
}

customElements.define('rm-reports-view', RmReportsView);

declare global {
  interface HTMLElementTagNameMap {
    'rm-reports-view': RmReportsView;
  }
}
