import type { ComfyRelay, RelayEvent } from '@comfyrelay/core';
import type { ConsoleMetrics } from '../metrics/ConsoleMetrics.js';

export interface BackendIncident {
  at: number;
  state: string;
  reason: string;
}

export interface BackendHistory {
  reconnects: number;
  recentErrors: BackendIncident[];
}

const RECENT_ERRORS = 10;

/** Counts each backend's reconnects and keeps its last errors, from the relay's backend events. */
export class BackendWatch {
  readonly #metrics: ConsoleMetrics;
  readonly #histories = new Map<string, BackendHistory & { opened: boolean }>();
  readonly #onOpen: (backend: string) => void;

  constructor(relay: ComfyRelay, metrics: ConsoleMetrics, onOpen: (backend: string) => void) {
    this.#metrics = metrics;
    this.#onOpen = onOpen;
    for (const backend of relay.backends())
      this.#histories.set(backend.id, {
        reconnects: 0,
        recentErrors: [],
        // One reconnecting now was open before the console started: its next open is a reconnect.
        opened: backend.state === 'open' || backend.state === 'reconnecting',
      });
  }

  historyOf(backend: string): BackendHistory {
    const { reconnects, recentErrors } = this.#historyOf(backend);
    return { reconnects, recentErrors: [...recentErrors] };
  }

  onEvent(event: RelayEvent): void {
    if (event.type !== 'backend') return;
    const history = this.#historyOf(event.backend);
    if (event.reason !== undefined && event.state !== 'open') {
      history.recentErrors.unshift({ at: Date.now(), state: event.state, reason: event.reason });
      history.recentErrors.length = Math.min(history.recentErrors.length, RECENT_ERRORS);
      this.#metrics.backendErrors.inc({ backend: event.backend });
    }
    if (event.state !== 'open') return;
    if (history.opened) {
      history.reconnects += 1;
      this.#metrics.backendReconnects.inc({ backend: event.backend });
    }
    history.opened = true;
    this.#onOpen(event.backend);
  }

  #historyOf(backend: string): BackendHistory & { opened: boolean } {
    let history = this.#histories.get(backend);
    if (!history) {
      history = { reconnects: 0, recentErrors: [], opened: false };
      this.#histories.set(backend, history);
    }
    return history;
  }
}
