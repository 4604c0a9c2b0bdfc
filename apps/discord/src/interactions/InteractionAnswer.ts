import type { OutgoingMessage } from '@comfyrelay/chat';
import {
  InteractionResponseType,
  makeURLSearchParams,
  Routes,
  type REST,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';
import { messageBody } from '../adapter/messageBody.js';

/** What an interaction needs to be answered, now or after a restart. */
export interface InteractionIdentity {
  id: string;
  token: string;
  applicationId: string;
  /** When Discord created it: its 3-second window and 15-minute token count from here. */
  createdAt: number;
  kind: 'command' | 'component';
}

type Acknowledgement =
  { kind: 'deferred-reply'; messageId: string } | { kind: 'deferred-update' } | { kind: 'replied' };

/**
 * The one initial response an interaction may get, whoever asks first: the service (a reply,
 * or the message a job opens) or the guard, which defers before Discord's 3 seconds run out
 * when answering takes longer (downloading a picture, a slow validation). Later answers go
 * where Discord still lets them: the deferred message, or a follow-up.
 */
export class InteractionAnswer {
  private acknowledgement: Promise<Acknowledgement> | undefined;
  private readonly guard: NodeJS.Timeout;

  constructor(
    private readonly rest: REST,
    readonly interaction: InteractionIdentity,
    ackWithinMs: number,
    onGuardFailure: (error: unknown) => void,
  ) {
    const delay = Math.max(0, interaction.createdAt + ackWithinMs - Date.now());
    this.guard = setTimeout(() => this.acknowledge().catch(onGuardFailure), delay);
  }

  get acknowledged(): boolean {
    return this.acknowledgement !== undefined;
  }

  /** A slash command's "thinking…" message, or a button's silent update. */
  acknowledge(): Promise<Acknowledgement> {
    this.acknowledgement ??=
      this.interaction.kind === 'command' ? this.deferReply() : this.deferUpdate();
    return this.acknowledgement;
  }

  /** The id of the slash command's own message, where its job is shown. */
  async openMessage(): Promise<string> {
    const acknowledgement = await this.acknowledge();
    if (acknowledgement.kind !== 'deferred-reply')
      throw new Error('only a slash command has a message of its own to open');
    return acknowledgement.messageId;
  }

  /** An answer in words (or a result, for /show); `ephemeral`: only the user sees it. */
  async reply(message: OutgoingMessage, ephemeral: boolean): Promise<void> {
    if (!this.acknowledgement) {
      this.acknowledgement = this.replyAtOnce(message, ephemeral);
      await this.acknowledgement;
      return;
    }
    const acknowledgement = await this.acknowledgement;
    if (acknowledgement.kind === 'deferred-reply') {
      if (!ephemeral) return this.editOriginal(message);
      // A deferral's visibility is fixed: a private answer must be a message of its own.
      await this.rest.delete(this.webhookMessage(), { auth: false });
    }
    await this.rest.post(Routes.webhook(this.interaction.applicationId, this.interaction.token), {
      ...messageBody(message, { withFiles: true, ephemeral }),
      auth: false,
    });
  }

  close(): void {
    clearTimeout(this.guard);
  }

  private async deferReply(): Promise<Acknowledgement> {
    const result = (await this.rest.post(this.callbackRoute(), {
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource },
      query: makeURLSearchParams({ with_response: true }),
      auth: false,
    })) as RESTPostAPIInteractionCallbackWithResponseResult;
    const messageId =
      result.interaction.response_message_id ??
      result.resource?.message?.id ??
      ((await this.rest.get(this.webhookMessage(), { auth: false })) as { id: string }).id;
    return { kind: 'deferred-reply', messageId };
  }

  private async deferUpdate(): Promise<Acknowledgement> {
    await this.rest.post(this.callbackRoute(), {
      body: { type: InteractionResponseType.DeferredMessageUpdate },
      auth: false,
    });
    return { kind: 'deferred-update' };
  }

  private async replyAtOnce(
    message: OutgoingMessage,
    ephemeral: boolean,
  ): Promise<Acknowledgement> {
    const { body, files } = messageBody(message, { withFiles: true, ephemeral });
    await this.rest.post(this.callbackRoute(), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: body },
      ...(files ? { files } : {}),
      auth: false,
    });
    return { kind: 'replied' };
  }

  private async editOriginal(message: OutgoingMessage): Promise<void> {
    await this.rest.patch(this.webhookMessage(), {
      ...messageBody(message, { withFiles: true }),
      auth: false,
    });
  }

  private callbackRoute() {
    return Routes.interactionCallback(this.interaction.id, this.interaction.token);
  }

  private webhookMessage() {
    return Routes.webhookMessage(
      this.interaction.applicationId,
      this.interaction.token,
      '@original',
    );
  }
}
