export type DropCode =
  'send-timeout' | 'queue-overflow' | 'send-failed' | 'unsubscribed' | 'broadcaster-closed';

/** Why a subscriber was dropped, in words a human can read. */
export interface DropReason {
  code: DropCode;
  message: string;
  cause?: unknown;
}
