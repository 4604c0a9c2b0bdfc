import type { Wording } from '@comfyrelay/chat';
import type { ImageInput } from '@comfyrelay/core';
import {
  ApplicationCommandOptionType,
  type Attachment,
  type ChatInputCommandInteraction,
} from 'discord.js';

export type CommandOptions =
  | { ok: true; values: Record<string, unknown>; pictures: Record<string, ImageInput> }
  | { ok: false; refusal: string };

export interface PictureLimits {
  maxPictureBytes: number;
  downloadTimeoutMs: number;
}

/**
 * A slash command's options as chat takes them: typed values by option name, and the attached
 * pictures downloaded from Discord's CDN. A picture over the limit is refused before it is
 * downloaded, in words.
 */
export async function readCommandOptions(
  interaction: ChatInputCommandInteraction,
  limits: PictureLimits,
  wording: Wording,
): Promise<CommandOptions> {
  const values: Record<string, unknown> = {};
  const pictures: Record<string, ImageInput> = {};
  for (const option of interaction.options.data) {
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment) {
      const picture = await downloadPicture(option.attachment, limits, wording);
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
  limits: PictureLimits,
  wording: Wording,
): Promise<ImageInput | { refusal: string }> {
  const tooLarge = (bytes: number) => ({
    refusal: wording.failure({
      code: 'too-large',
      detail: `the picture ${attachment.name} is ${wording.fileSize(bytes)}, more than the ${wording.fileSize(limits.maxPictureBytes)} a picture may have`,
    }),
  });
  if (attachment.size > limits.maxPictureBytes) return tooLarge(attachment.size);
  const unreadable = {
    refusal: wording.failure({
      code: 'arguments',
      detail: `the picture ${attachment.name} could not be read from Discord; please attach it again`,
    }),
  };
  try {
    const response = await fetch(attachment.url, {
      signal: AbortSignal.timeout(limits.downloadTimeoutMs),
    });
    if (!response.ok) return unreadable;
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.length > limits.maxPictureBytes) return tooLarge(data.length);
    return { data, filename: attachment.name };
  } catch {
    return unreadable;
  }
}
