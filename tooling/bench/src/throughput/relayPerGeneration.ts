import type { Subscription } from '@comfyrelay/core';
import { EventTally, isTerminal } from '../relay/eventTally.js';
import { relayVariant } from './relayStream.js';

/**
 * (c) One subscription per generation (`{ generation: id }`), made as soon as it is queued
 * and ended by its terminal event, as a chat bot follows each user's job.
 */
export const relayPerGeneration = relayVariant('relayPerGeneration', () => {
  const tally = new EventTally();
  const open = new Set<Subscription>();
  return {
    attach: () => undefined,
    queued(relay, handle) {
      const subscription = relay.subscribe(
        {
          send: (event) => {
            tally.take(event);
            if (!isTerminal(event)) return;
            subscription.unsubscribe();
            open.delete(subscription);
          },
        },
        { generation: handle.id, name: handle.id },
      );
      open.add(subscription);
    },
    get progressEvents() {
      return tally.count('progress');
    },
    get eventsConsumed() {
      return tally.total;
    },
    get undelivered() {
      let pending = 0;
      for (const subscription of open) pending += subscription.pending;
      return pending;
    },
  };
});
