export {
  FakeTelegram,
  type FakeTelegramEventName,
  type FloodLimitControl,
} from './fake-telegram.js';
export type { FakeTelegramOptions, BotOptions } from './options.js';
export type { SizeLimits } from './api/method-context.js';
export type { InjectedError } from './api/faults.js';
export type { FloodLimitOptions, ScriptedFlood } from './flood/flood-options.js';
export type { ChatView } from './state/chat-store.js';
export { UserActionHandle, CallbackQueryHandle, type SkipReason } from './users/action-handle.js';
export type {
  ChatInput,
  UserInput,
  SendTextInput,
  SendPhotoInput,
  PressButtonInput,
} from './users/user-input.js';
export type * from './records.js';
export type * from './types.js';
