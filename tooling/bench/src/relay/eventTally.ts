import type { RelayEvent } from '@comfyrelay/core';

const terminal = new Set<RelayEvent['type']>(['succeeded', 'failed', 'cancelled']);

export function isTerminal(event: RelayEvent): boolean {
  return terminal.has(event.type);
}

/**
 * What a frontend's sink does with each event, reduced to its reads: count it by type and read
 * the fields a renderer would show (progress fraction, step, phase; queue position).
 */
export class EventTally {
  readonly byType: Record<string, number> = {};
  total = 0;
  /** Sum of the fields read, so the reads cannot be optimised away. */
  checksum = 0;

  take(event: RelayEvent): void {
    this.total++;
    this.byType[event.type] = (this.byType[event.type] ?? 0) + 1;
    switch (event.type) {
      case 'progress': {
        const { fraction, step, phase } = event.progress;
        this.checksum += fraction + (step ?? 0) + phase.length;
        break;
      }
      case 'queued':
        this.checksum += event.position + event.ahead;
        break;
      case 'positions':
        for (const slot of Object.values(event.positions)) this.checksum += slot.position;
        break;
    }
  }

  count(type: RelayEvent['type']): number {
    return this.byType[type] ?? 0;
  }
}
