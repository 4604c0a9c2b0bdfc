import WebSocket from 'ws';

export interface LiveMessage {
  type: string;
  id?: string;
  data?: unknown;
}

/** A listener of an event stream: every message kept; waiters resolved as soon as one matches. */
export function liveEvents(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: LiveMessage[] = [];
  const waiters: { test: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }[] = [];
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as LiveMessage;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return {
    ws,
    messages,
    /** The first message (already here, or to come) that matches. */
    waitFor(test: (m: LiveMessage) => boolean): Promise<LiveMessage> {
      const found = messages.find(test);
      if (found) return Promise.resolve(found);
      return Promise.race([
        new Promise<LiveMessage>((resolve) => waiters.push({ test, resolve })),
        closed.then((code): never => {
          throw new Error(`the event stream closed (${code}) before the message came`);
        }),
      ]);
    },
    closed,
  };
}
