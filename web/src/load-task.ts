/**
 * Loading data for a component: run(work) starts a load and aborts the one
 * before it (a changed range or series makes the old answer useless), and
 * the host re-renders as the load goes pending → complete or error. The last
 * value is kept while a refresh is pending, so the page does not flicker.
 * Disconnecting the host aborts the load under way.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorText } from './format.js';

export type LoadStatus = 'initial' | 'pending' | 'complete' | 'error';

export class LoadTask<T> implements ReactiveController {
  status: LoadStatus = 'initial';
  value: T | undefined;
  error: unknown;
  private controller: AbortController | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Resolves when this load settles (or is superseded); never rejects: failures land in `error`. */
  async run(work: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.status = 'pending';
    this.host.requestUpdate();
    try {
      const value = await work(controller.signal);
      if (controller.signal.aborted) return;
      this.value = value;
      this.error = undefined;
      this.status = 'complete';
    } catch (e) {
      if (controller.signal.aborted) return;
      this.error = e;
      this.status = 'error';
    }
    this.host.requestUpdate();
  }

  /** The message to show for the last failure. */
  get errorMessage(): string {
    return errorText(this.error);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.controller?.abort();
    this.controller = undefined;
    if (this.status === 'pending') this.status = this.value === undefined ? 'initial' : 'complete';
  }
}
