import type { MethodDefinition } from '../method-context.js';
import { close, getChat, getMe, logOut } from './bot-methods.js';
import { answerCallbackQuery } from './callback-methods.js';
import { deleteMessage, sendChatAction } from './chat-methods.js';
import { deleteMyCommands, getMyCommands, setMyCommands } from './command-methods.js';
import {
  editMessageCaption,
  editMessageMedia,
  editMessageReplyMarkup,
  editMessageText,
} from './edit-methods.js';
import { getFile } from './file-methods.js';
import { getUpdates } from './get-updates.js';
import { sendAnimation, sendDocument, sendPhoto, sendVideo } from './send-media.js';
import { sendMediaGroup } from './send-media-group.js';
import { sendMessage } from './send-message.js';
import { deleteWebhook, getWebhookInfo, setWebhook } from './webhook-methods.js';

export const ALL_METHODS: MethodDefinition[] = [
  getMe,
  logOut,
  close,
  getChat,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  sendMessage,
  sendPhoto,
  sendDocument,
  sendVideo,
  sendAnimation,
  sendMediaGroup,
  editMessageText,
  editMessageCaption,
  editMessageMedia,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
  answerCallbackQuery,
  getFile,
];
