import type { DropReason } from '@comfyrelay/core';

/**
 * Why a listener left the stream: the source dropped it (its `DropReason` codes), it stopped
 * reading ('pong-timeout'), it went away ('disconnected'), or the server closed.
 */
export type ListenerDropCode =
  DropReason['code'] | 'pong-timeout' | 'disconnected' | 'server-closed';

export interface ListenerDropReason {
  code: ListenerDropCode;
  /** Words a human can read, naming the listener. */
  message: string;
  cause?: unknown;
}
