import type { DropReason } from '@comfyrelay/core';

/** RFC 6455 close codes the event stream uses. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** How long a listener gets to complete the closing handshake before its socket is destroyed. */
export const CLOSE_GRACE_MS = 1000;

export function closeCodeFor(reason: DropReason): number {
  switch (reason.code) {
    case 'send-timeout':
    case 'queue-overflow':
      return CloseCode.tryAgainLater; // too slow for now; reconnecting gets a fresh snapshot
    case 'send-failed':
      return CloseCode.internalError;
    case 'broadcaster-closed':
      return CloseCode.goingAway;
    case 'unsubscribed':
      return CloseCode.normal;
  }
}

/** A close frame's reason must fit in 123 bytes of UTF-8. */
export function closeReasonText(message: string): string {
  if (Buffer.byteLength(message) <= 123) return message;
  let text = message.slice(0, 120);
  while (Buffer.byteLength(text) > 120) text = text.slice(0, -1);
  return `${text}...`;
}
