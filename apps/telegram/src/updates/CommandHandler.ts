import {
  escapeText,
  type ChatService,
  type ChatTarget,
  type MessageRef,
  type OutgoingMessage,
  type Reply,
  type Wording,
} from '@comfyrelay/chat';
import type { ImageInput, Logger } from '@comfyrelay/core';
import type { Api, Context } from 'grammy';
import type { Message } from 'grammy/types';
import { placeholderPicture } from '../adapter/placeholderPicture.js';
import { targetOf } from '../adapter/telegramRefs.js';
import { downloadFile } from './downloadFile.js';
import { parseCommand } from './parseCommand.js';
import { pictureOf } from './pictureOf.js';
import { requesterOf } from './requesterOf.js';

export interface CommandHandlerOptions {
  service: ChatService;
  api: Api;
  /** `<api root>/file/bot<token>`. */
  fileRoot: string;
  wording: Wording;
  logger: Logger;
}

/**
 * A command in a message (or a photo's caption) run through the chat service: its answer, or
 * the immediate reply that becomes the job's progress message, both answering the user's own
 * message. Everything it sends goes through the service's outbox, within Telegram's budgets.
 */
export class CommandHandler {
  constructor(private readonly options: CommandHandlerOptions) {}

  readonly handle = async (ctx: Context): Promise<void> => {
    const message = ctx.message;
    if (!message?.from) return;
    const command = parseCommand(
      message.text ?? message.caption,
      message.entities ?? message.caption_entities,
      ctx.me.username,
    );
    if (!command) return;
    const { service } = this.options;
    // Telegram clients offer /start to open a chat with a bot: it gets the help.
    const name = command.name === 'start' ? 'help' : command.name;
    const spec = service.catalog.command(name);
    const target = targetOf(
      message.chat,
      message.is_topic_message ? message.message_thread_id : undefined,
    );
    // In a group, an unknown command not addressed to us is another bot's.
    if (!spec && target.isGroup && !command.addressed) return;
    const userMessage: MessageRef = { target, messageId: String(message.message_id) };
    const attachment = spec?.options.find((option) => option.type === 'attachment');
    let pictures: Record<string, ImageInput> | undefined;
    if (attachment) {
      const picture = await this.pictureFor(message);
      if (picture && 'private' in picture) return this.answer(target, picture.message, userMessage);
      if (picture) pictures = { [attachment.name]: picture };
    }
    const reply = await service.run({
      command: name,
      text: command.args,
      ...(pictures ? { pictures } : {}),
      requester: requesterOf(message.from, target),
      target,
      replyTo: userMessage,
      open: () => this.openProgressMessage(target, userMessage),
    });
    if (reply) await this.answer(target, reply.message, userMessage);
  };

  /** The picture sent with the command, or the service's words for why it cannot be used. */
  private async pictureFor(message: Message): Promise<ImageInput | Reply | undefined> {
    const picture = pictureOf(message);
    if (!picture) return undefined;
    const { api, fileRoot, logger, service } = this.options;
    // The service's limit, which the app keeps within what getFile serves (20 MB).
    if (picture.size !== undefined && picture.size > service.maxPictureBytes)
      return service.pictureTooLarge(picture.name, picture.size);
    try {
      return await downloadFile(api, picture.fileId, fileRoot);
    } catch (error) {
      logger.warn('a picture could not be downloaded from Telegram', { error: String(error) });
      return service.pictureUnreadable(picture.name);
    }
  }

  private async openProgressMessage(target: ChatTarget, userMessage: MessageRef) {
    const { service, wording } = this.options;
    const outcome = await service.updater.outbox.send(target, {
      text: escapeText(wording.sending, 'telegram-html'),
      files: [await placeholderPicture()],
      replyTo: userMessage,
    });
    if (outcome.status === 'done') return outcome.value;
    throw outcome.status === 'failed'
      ? outcome.error
      : new Error(`the reply could not be sent (${outcome.status})`);
  }

  private async answer(
    target: ChatTarget,
    message: OutgoingMessage,
    userMessage: MessageRef,
  ): Promise<void> {
    const outcome = await this.options.service.updater.outbox.send(target, {
      ...message,
      replyTo: userMessage,
    });
    if (outcome.status === 'failed')
      this.options.logger.warn('an answer could not be sent', {
        chat: target.chatId,
        error: String(outcome.error),
      });
  }
}
