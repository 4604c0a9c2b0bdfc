import { previewUrl } from './api.js';
import {
  TERMINAL,
  type BackendStatus,
  type GenerationRecord,
  type RelayEvent,
  type Snapshot,
} from './wire.js';

/** A generation as the page shows it: its record kept current by events, and its latest preview. */
export interface LiveGeneration {
  record: GenerationRecord;
  /** A data URL from an event, or the server's copy after a resync. */
  preview?: string;
}

export type Change =
  | {
      kind: 'generation';
      generation: LiveGeneration;
      event: RelayEvent['type'] | 'snapshot' | 'refreshed';
    }
  | { kind: 'backend'; backend: BackendStatus; reason?: string }
  | { kind: 'resynced' };

/** Finished generations the Live list keeps showing. */
const FINISHED_KEPT = 50;

/**
 * Everything live, from the event stream: a snapshot replaces it, then each event updates it.
 * Generations that ended while the page was disconnected are not in the next snapshot:
 * `resync` returns their ids so their final records can be fetched.
 */
export class LiveState {
  readonly generations = new Map<string, LiveGeneration>();
  readonly backends = new Map<string, BackendStatus>();
  readonly #listeners = new Set<(change: Change) => void>();

  listen(listener: (change: Change) => void): void {
    this.#listeners.add(listener);
  }

  /** A fresh snapshot: returns the ids this page followed that are no longer in flight. */
  resync(snapshot: Snapshot): string[] {
    const current = new Set(snapshot.generations.map((record) => record.id));
    const vanished = [...this.generations.values()]
      .filter((known) => !TERMINAL.has(known.record.status) && !current.has(known.record.id))
      .map((known) => known.record.id);
    for (const backend of snapshot.backends) {
      this.backends.set(backend.id, backend);
      this.#emit({ kind: 'backend', backend });
    }
    for (const record of snapshot.generations) {
      const known = this.generations.get(record.id);
      const generation: LiveGeneration = { record };
      // The event that carried the latest preview was missed: the server keeps a copy.
      if (record.status === 'running')
        generation.preview = `${previewUrl(record.id)}?t=${Date.now()}`;
      else if (known?.preview !== undefined) generation.preview = known.preview;
      this.generations.set(record.id, generation);
      this.#emit({ kind: 'generation', generation, event: 'snapshot' });
    }
    this.#emit({ kind: 'resynced' });
    return vanished;
  }

  /** A record fetched from the API (a generation that ended while disconnected). */
  refresh(record: GenerationRecord): void {
    const generation = { ...this.generations.get(record.id), record };
    this.generations.set(record.id, generation);
    this.#emit({ kind: 'generation', generation, event: 'refreshed' });
  }

  apply(event: RelayEvent): void {
    switch (event.type) {
      case 'submitted':
      case 'resumed':
        return this.#update(event.id, event.type, () => ({ ...event.record }));
      case 'queued':
        return this.#update(event.id, event.type, (r) => ({
          ...r,
          status: 'queued',
          position: event.position,
          ahead: event.ahead,
        }));
      case 'positions':
        for (const [id, slot] of Object.entries(event.positions))
          this.#update(id, 'queued', (r) =>
            r.status === 'submitted' || r.status === 'queued'
              ? { ...r, status: 'queued', ...slot }
              : r,
          );
        return;
      case 'started':
        return this.#update(event.id, event.type, (r) =>
          withoutPlace({ ...r, status: 'running', startedAt: Date.now() }),
        );
      case 'progress': {
        const { preview, ...progress } = event.progress;
        return this.#update(
          event.id,
          event.type,
          (r) =>
            TERMINAL.has(r.status)
              ? { ...r, progress }
              : withoutPlace({ ...r, status: 'running', progress }),
          preview?.dataUrl,
        );
      }
      case 'succeeded':
        return this.#update(event.id, event.type, (r) =>
          finished({ ...r, status: 'succeeded', outputs: event.outputs }),
        );
      case 'failed':
        return this.#update(event.id, event.type, (r) =>
          finished({ ...r, status: 'failed', error: event.error }),
        );
      case 'cancelled':
        return this.#update(event.id, event.type, (r) => finished({ ...r, status: 'cancelled' }));
      case 'backend': {
        const known = this.backends.get(event.backend);
        if (!known) return;
        const backend = { ...known, state: event.state };
        this.backends.set(event.backend, backend);
        this.#emit({
          kind: 'backend',
          backend,
          ...(event.reason !== undefined ? { reason: event.reason } : {}),
        });
        return;
      }
    }
  }

  #update(
    id: string,
    event: RelayEvent['type'],
    change: (record: GenerationRecord) => GenerationRecord,
    preview?: string,
  ): void {
    const known = this.generations.get(id);
    if (!known && event !== 'submitted' && event !== 'resumed') return;
    const record = change(
      known?.record ?? ({ id, status: 'submitted', createdAt: Date.now() } as GenerationRecord),
    );
    const generation: LiveGeneration = { record };
    const shown = preview ?? known?.preview;
    if (shown !== undefined) generation.preview = shown;
    this.generations.set(id, generation);
    this.#emit({ kind: 'generation', generation, event });
    if (TERMINAL.has(record.status)) this.#forgetOldFinished();
  }

  #forgetOldFinished(): void {
    const finished = [...this.generations.values()].filter((g) => TERMINAL.has(g.record.status));
    finished.sort((a, b) => (b.record.finishedAt ?? 0) - (a.record.finishedAt ?? 0));
    for (const old of finished.slice(FINISHED_KEPT)) this.generations.delete(old.record.id);
  }

  #emit(change: Change): void {
    for (const listener of this.#listeners) listener(change);
  }
}

function withoutPlace(record: GenerationRecord): GenerationRecord {
  const { position: _position, ahead: _ahead, ...rest } = record;
  return rest;
}

function finished(record: GenerationRecord): GenerationRecord {
  return { ...withoutPlace(record), finishedAt: Date.now() };
}
