import type { ChatTarget, Requester } from '@comfyrelay/chat';
import type { User } from 'grammy/types';

/** Who wrote or pressed, as the chat layer knows people: named as others see them in Telegram. */
export function requesterOf(user: User, target: ChatTarget): Requester {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return {
    platform: 'telegram',
    userId: String(user.id),
    displayName: user.username ? `@${user.username}` : name,
    chatId: target.chatId,
    ...(user.language_code ? { locale: user.language_code } : {}),
  };
}
