import type { ChatService, Wording } from '@comfyrelay/chat';
import type { Logger } from '@comfyrelay/core';
import type { BaseInteraction, REST } from 'discord.js';
import type { DiscordAdapter } from '../adapter/DiscordAdapter.js';
import { InteractionAnswer, type InteractionIdentity } from './InteractionAnswer.js';

/** What every interaction handler works with. */
export interface InteractionContext {
  rest: REST;
  service: ChatService;
  adapter: DiscordAdapter;
  wording: Wording;
  logger: Logger;
  /** The guard defers an interaction not answered this long after Discord created it. */
  ackWithinMs: number;
  /** Autocomplete cannot be deferred: suggestions not ready by then are given up. */
  autocompleteWithinMs: number;
  /** Longest wait for a picture a user attached (its size limit is the service's). */
  downloadTimeoutMs: number;
}

/** When Discord created it, never later than when it reached us (a clock behind Discord's). */
export function createdAtOf(interaction: BaseInteraction): number {
  return Math.min(interaction.createdTimestamp, Date.now());
}

export function answerFor(
  interaction: BaseInteraction & { token: string },
  kind: InteractionIdentity['kind'],
  context: InteractionContext,
): InteractionAnswer {
  return new InteractionAnswer(
    context.rest,
    {
      id: interaction.id,
      token: interaction.token,
      applicationId: interaction.applicationId,
      createdAt: createdAtOf(interaction),
      kind,
    },
    context.ackWithinMs,
    (error) =>
      context.logger.warn('an interaction could not be acknowledged in time', {
        interaction: interaction.id,
        error: String(error),
      }),
  );
}
