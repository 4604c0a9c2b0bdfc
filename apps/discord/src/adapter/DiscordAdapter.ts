import {
  escapeText,
  type ButtonPress,
  type ChatAdapter,
  type ChatTarget,
  type MessageRef,
  type OutgoingMessage,
} from '@comfyrelay/chat';
import type { Logger } from '@comfyrelay/core';
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { InteractionAnswer } from '../interactions/InteractionAnswer.js';
import {
  DEFAULT_UPLOAD_LIMIT_BYTES,
  DISCORD_BUDGETS,
  DISCORD_RULES,
  INTERACTION_TOKEN_MAX_AGE_MS,
} from './discordRules.js';
import { channelMessageRef, routeOf, uploadLimitOf, type MessageRoute } from './discordRefs.js';
import { messageBody } from './messageBody.js';
import { rateLimitAware } from './rateLimits.js';

export interface DiscordAdapterOptions {
  logger: Logger;
  /** Past this age an interaction's token is not used: edits go through the bot's own token. */
  tokenMaxAgeMs?: number;
  now?: () => number;
}

/** Discord refuses a webhook token it no longer knows: the bot's own token still works. */
const STALE_WEBHOOK_CODES = new Set([10015, 50027]);

/**
 * chat's adapter for Discord, one REST request per call through discord.js's REST (which knows
 * every rate-limit bucket). A job's message is the slash command's deferred reply, edited
 * through the interaction's webhook while its token is young, then with the bot's own token;
 * a result that needs new files on a message whose token is old is posted as a channel message
 * replying to it. Button presses are answered through the interaction they came with.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord';
  readonly rules = DISCORD_RULES;
  readonly editBudgets = DISCORD_BUDGETS;
  private readonly presses = new Map<string, InteractionAnswer>();
  private readonly channelLimits = new Map<string, number>();
  private readonly tokenMaxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly rest: REST,
    private readonly options: DiscordAdapterOptions,
  ) {
    this.tokenMaxAgeMs = options.tokenMaxAgeMs ?? INTERACTION_TOKEN_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  /** The limit the target carries (from its interaction), else the last one seen in that channel. */
  uploadLimit(target: ChatTarget): number {
    return (
      uploadLimitOf(target) ?? this.channelLimits.get(target.chatId) ?? DEFAULT_UPLOAD_LIMIT_BYTES
    );
  }

  /** Interactions say what a channel accepts (`attachment_size_limit`): remember it. */
  noteUploadLimit(channelId: string, bytes: number | undefined): void {
    if (bytes !== undefined && bytes > 0) this.channelLimits.set(channelId, bytes);
  }

  /** While a press is being handled, `answerButton` answers through its interaction. */
  trackPress(answer: InteractionAnswer): () => void {
    const id = answer.interaction.id;
    this.presses.set(id, answer);
    return () => this.presses.delete(id);
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<MessageRef> {
    const sent = (await rateLimitAware(() =>
      this.rest.post(
        Routes.channelMessages(target.chatId),
        messageBody(message, { withFiles: true, asReply: true }),
      ),
    )) as { id: string };
    return channelMessageRef(target, sent.id);
  }

  async edit(ref: MessageRef, content: OutgoingMessage): Promise<void> {
    await this.patch(ref, messageBody(content, { withFiles: false }));
  }

  /** New files replace the old; none removes them (a cancelled job keeps no preview). */
  async editMedia(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    const route = routeOf(ref);
    const hasFiles = (content.files?.length ?? 0) > 0;
    if (hasFiles && route.via === 'interaction' && !this.isYoung(route))
      return this.moveToChannel(ref, content);
    await this.patch(ref, messageBody(content, { withFiles: true }));
    return ref;
  }

  async delete(ref: MessageRef): Promise<void> {
    await rateLimitAware(() =>
      this.rest.delete(Routes.channelMessage(ref.target.chatId, ref.messageId)),
    );
  }

  async answerButton(press: ButtonPress, answer: { text?: string; alert?: boolean }) {
    const interaction = this.presses.get(press.id);
    if (!interaction) {
      this.options.logger.debug('a button answer came after its press was handled', {
        press: press.id,
      });
      return;
    }
    // Discord has no toast: anything worth saying is a message only the presser sees (chat's
    // answers are plain text: escaped, they show as they were written).
    if (answer.text !== undefined && answer.text !== '')
      await interaction.reply({ text: escapeText(answer.text, DISCORD_RULES.markup) }, true);
    else await interaction.acknowledge();
  }

  private async patch(ref: MessageRef, request: ReturnType<typeof messageBody>): Promise<void> {
    const route = routeOf(ref);
    if (route.via === 'interaction' && this.isYoung(route)) {
      try {
        await rateLimitAware(() =>
          this.rest.patch(Routes.webhookMessage(route.applicationId, route.token, '@original'), {
            ...request,
            auth: false,
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof DiscordAPIError) || !STALE_WEBHOOK_CODES.has(Number(error.code)))
          throw error;
        this.options.logger.debug('an interaction token was refused; editing as the bot', {
          message: ref.messageId,
        });
      }
    }
    await rateLimitAware(() =>
      this.rest.patch(Routes.channelMessage(ref.target.chatId, ref.messageId), request),
    );
  }

  /**
   * The token is too old to trust: the new content goes to a channel message of the bot's own
   * that replies to the request, and the old message keeps only its first line (the prompt and
   * who asked), so it still says what was asked.
   */
  private async moveToChannel(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    const moved = await this.send(ref.target, { ...content, replyTo: ref });
    const head = content.text.split('\n')[0] ?? '';
    await rateLimitAware(() =>
      this.rest.patch(Routes.channelMessage(ref.target.chatId, ref.messageId), {
        body: { content: head, components: [], attachments: [] },
      }),
    ).catch((error: unknown) =>
      this.options.logger.debug('the old message of a moved job could not be trimmed', {
        message: ref.messageId,
        error: String(error),
      }),
    );
    return moved;
  }

  private isYoung(route: Extract<MessageRoute, { via: 'interaction' }>): boolean {
    return this.now() - route.issuedAt < this.tokenMaxAgeMs;
  }
}
