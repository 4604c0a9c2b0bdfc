import type { ChatService, Reply } from '@comfyrelay/chat';
import type { ImageInput } from '@comfyrelay/core';
import {
  ApplicationCommandOptionType,
  type Attachment,
  type ChatInputCommandInteraction,
} from 'discord.js';

export type CommandOptions =
  | { ok: true; values: Record<string, unknown>; pictures: Record<string, ImageInput> }
  | { ok: false; refusal: Reply };

/**
 * A slash command's options as chat takes them: typed values by option name, and the attached
 * pictures downloaded from Discord's CDN. A picture over the service's limit is refused before
 * it is downloaded, in the service's words.
 */
export async function readCommandOptions(
  interaction: ChatInputCommandInteraction,
  service: Pick<ChatService, 'maxPictureBytes' | 'pictureTooLarge' | 'pictureUnreadable'>,
  downloadTimeoutMs: number,
): Promise<CommandOptions> {
  const values: Record<string, unknown> = {};
  const pictures: Record<string, ImageInput> = {};
  for (const option of interaction.options.data) {
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment) {
      const picture = await downloadPicture(option.attachment, service, downloadTimeoutMs);
      if ('refusal' in picture) return { ok: false, refusal: picture.refusal };
      pictures[option.name] = picture;
    } else if (option.value !== undefined && option.value !== null) {
      values[option.name] = option.value;
    }
  }
  return { ok: true, values, pictures };
}

async function downloadPicture(
  attachment: Attachment,
  service: Pick<ChatService, 'maxPictureBytes' | 'pictureTooLarge' | 'pictureUnreadable'>,
  downloadTimeoutMs: number,
): Promise<ImageInput | { refusal: Reply }> {
  const tooLarge = (bytes: number) => ({
    refusal: service.pictureTooLarge(attachment.name, bytes),
  });
  if (attachment.size > service.maxPictureBytes) return tooLarge(attachment.size);
  const unreadable = { refusal: service.pictureUnreadable(attachment.name) };
  try {
    const response = await fetch(attachment.url, {
      signal: AbortSignal.timeout(downloadTimeoutMs),
    });
    if (!response.ok) return unreadable;
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.length > service.maxPictureBytes) return tooLarge(data.length);
    return { data, filename: attachment.name };
  } catch {
    return unreadable;
  }
}
