import type { ChatInputCommandInteraction } from 'discord.js';
import { interactionMessageRef } from '../adapter/discordRefs.js';
import { answerFor, createdAtOf, type InteractionContext } from './InteractionContext.js';
import { readCommandOptions } from './readCommandOptions.js';
import { requesterOf, targetOf } from './requesterOf.js';

/**
 * A slash command: its options (pictures downloaded) go to chat's service; a job opens the
 * command's own deferred reply and is shown there, anything else is answered in words, only
 * to the user when it is private (an error, a list).
 */
export async function handleSlashCommand(
  interaction: ChatInputCommandInteraction,
  context: InteractionContext,
): Promise<void> {
  const answer = answerFor(interaction, 'command', context);
  try {
    const target = targetOf(interaction);
    context.adapter.noteUploadLimit(target.chatId, target.uploadLimitBytes);
    const options = await readCommandOptions(
      interaction,
      context.service,
      context.downloadTimeoutMs,
    );
    if (!options.ok) return await answer.reply(options.refusal.message, options.refusal.private);
    const reply = await context.service.run({
      command: interaction.commandName,
      options: options.values,
      pictures: options.pictures,
      requester: requesterOf(interaction),
      target,
      open: async () =>
        interactionMessageRef(target, await answer.openMessage(), {
          applicationId: interaction.applicationId,
          token: interaction.token,
          issuedAt: createdAtOf(interaction),
        }),
    });
    if (reply) await answer.reply(reply.message, reply.private);
  } catch (error) {
    context.logger.error('a slash command could not be answered', {
      command: interaction.commandName,
      error: String(error),
    });
    await answer
      .reply({ text: context.wording.failure({ code: 'internal' }) }, true)
      .catch(() => undefined);
  } finally {
    answer.close();
  }
}
