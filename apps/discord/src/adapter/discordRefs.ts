import type { ChatTarget, MessageRef } from '@comfyrelay/chat';
import { z } from 'zod';

/**
 * A channel as the bot answers in it, with the upload limit Discord gave the interaction that
 * asked. The limit travels inside the job's message ref (kept in the store), so a restarted
 * bot still fits results to it.
 */
export interface DiscordTarget extends ChatTarget {
  uploadLimitBytes?: number;
}

/** How a message can be edited: through its interaction's token (for a while), or as the bot. */
export type MessageRoute =
  | { via: 'interaction'; applicationId: string; token: string; issuedAt: number }
  | { via: 'channel' };

/** Refs come back from the store as plain JSON: read them, never trust them. */
const interactionRoute = z.object({
  via: z.literal('interaction'),
  applicationId: z.string(),
  token: z.string(),
  issuedAt: z.number(),
});

export function routeOf(ref: MessageRef): MessageRoute {
  const parsed = interactionRoute.safeParse(ref.platform);
  return parsed.success ? parsed.data : { via: 'channel' };
}

/** The deferred reply of a slash command: edited through the interaction's webhook. */
export function interactionMessageRef(
  target: DiscordTarget,
  messageId: string,
  interaction: { applicationId: string; token: string; issuedAt: number },
): MessageRef {
  return { target, messageId, platform: { via: 'interaction', ...interaction } };
}

export function channelMessageRef(target: ChatTarget, messageId: string): MessageRef {
  return { target, messageId, platform: { via: 'channel' } };
}

export function uploadLimitOf(target: ChatTarget): number | undefined {
  return 'uploadLimitBytes' in target &&
    typeof target.uploadLimitBytes === 'number' &&
    target.uploadLimitBytes > 0
    ? target.uploadLimitBytes
    : undefined;
}
