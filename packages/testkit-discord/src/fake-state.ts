import type { FakeDiscordEvents } from './events.js';
import type { GatewayHub } from './gateway/gateway-hub.js';
import type { AttachmentStore } from './state/attachment-store.js';
import type { CommandStore } from './state/command-store.js';
import type { GuildDirectory } from './state/guild-directory.js';
import type { InteractionStore } from './state/interaction-store.js';
import type { MessageStore } from './state/message-store.js';
import type { TypedEmitter } from './util/typed-emitter.js';

export interface FakeConfig {
  token: string;
  applicationId: string;
  heartbeatIntervalMs: number;
  interactionAckWindowMs: number;
  interactionTokenLifetimeMs: number;
  requireRegisteredCommands: boolean;
}

/** Everything the routes, the gateway and the control API share. */
export interface FakeState {
  config: FakeConfig;
  directory: GuildDirectory;
  messages: MessageStore;
  attachments: AttachmentStore;
  commands: CommandStore;
  interactions: InteractionStore;
  gateway: GatewayHub;
  events: TypedEmitter<FakeDiscordEvents>;
  /** http://host:port, known once the server listens. */
  baseUrl(): string;
}
