/** Styles every view shares: focus rings, buttons, tables, hidden labels. */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    display: block;
    color: var(--rm-fg, #1d2330);
  }
  :focus-visible {
    outline: var(--rm-focus, 3px solid #f0a30a);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button {
    font: inherit;
    padding: 0.3em 0.8em;
    border: 1px solid var(--rm-border, #d5d9e0);
    border-radius: 4px;
    background: var(--rm-panel, #fff);
    color: inherit;
    cursor: pointer;
  }
  button[aria-pressed='true'],
  button.primary {
    background: var(--rm-accent, #1f5fbf);
    border-color: var(--rm-accent, #1f5fbf);
    color: #fff;
  }
  input,
  select,
  textarea {
    font: inherit;
    padding: 0.3em 0.4em;
    border: 1px solid var(--rm-border, #d5d9e0);
    border-radius: 4px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: var(--rm-panel, #fff);
  }
  th,
  td {
    text-align: left;
    padding: 0.35em 0.6em;
    border-bottom: 1px solid var(--rm-border, #d5d9e0);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--rm-muted, #5b6472);
  }
  h2 {
    font-size: 1.15rem;
    margin: 1.2em 0 0.5em;
  }
  .muted {
    color: var(--rm-muted, #5b6472);
  }
  .error {
    color: var(--rm-critical, #c62828);
  }
  /* A form of a few fields in a row, wrapping on narrow screens, labels above their fields. */
  form.inline {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 0.8em;
    align-items: end;
  }
  form.inline label {
    display: flex;
    flex-direction: column;
  }
  .panel {
    background: var(--rm-panel, #fff);
    border: 1px solid var(--rm-border, #d5d9e0);
    border-radius: 6px;
    padding: 0.8em 1em;
  }
`;
