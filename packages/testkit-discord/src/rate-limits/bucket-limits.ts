export interface BucketLimit {
  limit: number;
  windowMs: number;
}

/**
 * One bucket per route, each counted per major parameter (channel, guild, or webhook id+token).
 * Discord does not publish its numbers; these are the commonly observed ones.
 */
export const DEFAULT_BUCKET_LIMITS = {
  'gateway-bot': { limit: 50, windowMs: 1_000 },
  'current-user': { limit: 50, windowMs: 1_000 },
  'current-application': { limit: 50, windowMs: 1_000 },
  user: { limit: 50, windowMs: 1_000 },
  'commands-read': { limit: 50, windowMs: 1_000 },
  'commands-write': { limit: 10, windowMs: 10_000 },
  'command-read': { limit: 50, windowMs: 1_000 },
  'command-edit': { limit: 10, windowMs: 10_000 },
  'command-delete': { limit: 10, windowMs: 10_000 },
  guild: { limit: 50, windowMs: 1_000 },
  'guild-channels': { limit: 50, windowMs: 1_000 },
  'guild-member': { limit: 50, windowMs: 1_000 },
  channel: { limit: 50, windowMs: 1_000 },
  'messages-list': { limit: 50, windowMs: 1_000 },
  'message-get': { limit: 50, windowMs: 1_000 },
  'message-create': { limit: 5, windowMs: 5_000 },
  'message-edit': { limit: 5, windowMs: 5_000 },
  'message-delete': { limit: 5, windowMs: 1_000 },
  typing: { limit: 5, windowMs: 5_000 },
  'webhook-execute': { limit: 5, windowMs: 2_000 },
  'webhook-original-get': { limit: 50, windowMs: 1_000 },
  'webhook-original-edit': { limit: 5, windowMs: 5_000 },
  'webhook-original-delete': { limit: 5, windowMs: 1_000 },
  'webhook-message-get': { limit: 50, windowMs: 1_000 },
  'webhook-message-edit': { limit: 5, windowMs: 5_000 },
  'webhook-message-delete': { limit: 5, windowMs: 1_000 },
} satisfies Record<string, BucketLimit>;

export type BucketName = keyof typeof DEFAULT_BUCKET_LIMITS;
export type BucketLimits = Record<BucketName, BucketLimit>;
