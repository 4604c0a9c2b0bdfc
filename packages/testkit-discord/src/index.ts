export { FakeDiscord } from './fake-discord.js';
export type { FakeDiscordEvents, FakeDiscordEventName } from './events.js';
export type {
  FakeDiscordOptions,
  FakeGuildInput,
  FakeChannelInput,
  FakeRoleInput,
  FakeMemberInput,
  FakeUserInput,
  ChannelKind,
} from './options.js';
export type {
  FakeGuild,
  FakeChannel,
  FakeRole,
  FakeMember,
  FakeUser,
} from './state/directory-types.js';
export {
  FakeMessage,
  MessageFlag,
  MessageType,
  type MessageRevision,
} from './state/fake-message.js';
export type { FakeAttachment } from './state/attachment-store.js';
export type { CommandWrite } from './state/command-store.js';
export type { ApiObject } from './state/api-objects.js';
export {
  CallbackType,
  InteractionType,
  type InteractionCallbackRecord,
} from './state/interaction-record.js';
export { InteractionHandle } from './interactions/interaction-handle.js';
export type {
  SlashCommandInput,
  AutocompleteInput,
  ButtonPressInput,
  SelectInput,
  ModalSubmitInput,
  OptionValue,
  FileInput,
  UserRef,
} from './interactions/interaction-inputs.js';
export type { UserMessageInput } from './user-messages.js';
export type { RequestRecord } from './rest/request-record.js';
export type { TooManyRequestsRecord } from './rate-limits/rate-limiter.js';
export type { RouteMatcher, MatchableRequest } from './rate-limits/route-matcher.js';
export type {
  ScriptedRateLimitOptions,
  ScriptedRateLimits,
} from './rate-limits/scripted-rate-limits.js';
export type { BucketLimit, BucketName, BucketLimits } from './rate-limits/bucket-limits.js';
export type { DropOptions } from './gateway/gateway-hub.js';
export type { IdentifyRecord, ResumeRecord } from './gateway/gateway-events.js';
