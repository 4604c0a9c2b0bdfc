import type { Subscription } from '@comfyrelay/core';
import { EventTally } from '../relay/eventTally.js';
import { relayVariant, type EventConsumer } from './relayStream.js';

/** (b) One subscriber of every event, made at start-up, as a dashboard or a bot's renderer. */
export const relayAllEvents = relayVariant('relayAll', allEventsConsumer);

/** (b) with its records in an explicit store of each kind: benchmark 5 pairs them. */
export const relayAllMemoryStore = relayVariant('relayAllMemory', allEventsConsumer, {
  store: 'memory',
});
export const relayAllSqliteInlineStore = relayVariant('relayAllSqliteInline', allEventsConsumer, {
  store: 'sqlite-inline',
});
export const relayAllSqliteStore = relayVariant('relayAllSqlite', allEventsConsumer, {
  store: 'sqlite',
});

function allEventsConsumer(): EventConsumer {
  const tally = new EventTally();
  let subscription: Subscription | undefined;
  return {
    attach(relay) {
      subscription = relay.subscribe({ send: (event) => tally.take(event) }, { name: 'frontend' });
    },
    queued: () => undefined,
    get progressEvents() {
      return tally.count('progress');
    },
    get eventsConsumed() {
      return tally.total;
    },
    get undelivered() {
      return subscription?.pending ?? 0;
    },
  };
}
