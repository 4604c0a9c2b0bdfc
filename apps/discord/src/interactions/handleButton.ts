import type { ButtonInteraction } from 'discord.js';
import { channelMessageRef } from '../adapter/discordRefs.js';
import { answerFor, type InteractionContext } from './InteractionContext.js';
import { requesterOf, targetOf } from './requesterOf.js';

/**
 * A press of one of our buttons (cancel, reroll, V-k, U-k, upscale …): chat's service answers
 * it through the adapter and starts what it asks for, attributed to whoever pressed, in the
 * same channel. A press nobody answered is acknowledged silently.
 */
export async function handleButton(
  interaction: ButtonInteraction,
  context: InteractionContext,
): Promise<void> {
  const answer = answerFor(interaction, 'component', context);
  const untrack = context.adapter.trackPress(answer);
  try {
    const target = targetOf(interaction);
    context.adapter.noteUploadLimit(target.chatId, target.uploadLimitBytes);
    await context.service.press(
      {
        id: interaction.id,
        token: interaction.customId,
        userId: interaction.user.id,
        message: channelMessageRef(target, interaction.message.id),
      },
      requesterOf(interaction),
      target,
    );
    if (!answer.acknowledged) await answer.acknowledge();
  } catch (error) {
    context.logger.error('a button press could not be handled', {
      interaction: interaction.id,
      error: String(error),
    });
    await answer
      .reply({ text: context.wording.failure({ code: 'internal' }) }, true)
      .catch(() => undefined);
  } finally {
    untrack();
    answer.close();
  }
}
