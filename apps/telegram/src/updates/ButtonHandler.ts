import { ACTION_TOKEN_PREFIX, type ChatService, type MessageRef } from '@comfyrelay/chat';
import type { Logger } from '@comfyrelay/core';
import type { Context } from 'grammy';
import { refOf, targetOf } from '../adapter/telegramRefs.js';
import { requesterOf } from './requesterOf.js';

/**
 * A pressed inline button: ours (its data starts with the action token prefix) go to the chat
 * service, which answers the press before it does anything; any other is answered at once so
 * the user's spinner stops.
 */
export class ButtonHandler {
  constructor(
    private readonly service: ChatService,
    private readonly logger: Logger,
  ) {}

  readonly handle = async (ctx: Context): Promise<void> => {
    const query = ctx.callbackQuery;
    if (!query) return;
    if (!query.data?.startsWith(ACTION_TOKEN_PREFIX)) {
      await ctx
        .answerCallbackQuery()
        .catch((error: unknown) =>
          this.logger.debug('a foreign button could not be answered', { error: String(error) }),
        );
      return;
    }
    const shown = query.message;
    const target = shown
      ? targetOf(shown.chat, shown.is_topic_message ? shown.message_thread_id : undefined)
      : { chatId: String(query.from.id) };
    const message: MessageRef | undefined = !shown
      ? undefined
      : shown.date === 0 // too old for Telegram to show its content
        ? { target, messageId: String(shown.message_id) }
        : refOf(target, shown);
    await this.service.press(
      {
        id: query.id,
        token: query.data,
        userId: String(query.from.id),
        ...(message ? { message } : {}),
      },
      requesterOf(query.from, target),
      target,
    );
  };
}
