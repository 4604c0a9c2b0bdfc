import type { FakeUserInput } from '../options.js';
import type { FakeUser } from '../state/directory-types.js';
import type { FakeMessage } from '../state/fake-message.js';
import type { InteractionHandle } from './interaction-handle.js';

/** A user id or username, a known user, or a new user to create on the fly. */
export type UserRef = string | FakeUserInput | FakeUser;

/** A file a user attaches to an attachment option. */
export interface FileInput {
  filename: string;
  bytes: Buffer | Uint8Array | string;
  contentType?: string;
}

/**
 * An option value as a user would enter it. Its type comes from the registered command
 * definition; without one: string 3, integer 4, other number 10, boolean 5, file 11.
 * Users, channels and roles are given by id or name. `{type, value}` forces a type.
 */
export type OptionValue =
  string | number | boolean | FileInput | { type: number; value: string | number | boolean };

export interface Place {
  /** Guild id or name; the channel's guild, or the first guild, by default. */
  guildId?: string | undefined;
  /** Channel id or name; the guild's first text channel by default. */
  channelId?: string | undefined;
  /** The guild's first member that is not the bot by default. */
  user?: UserRef | undefined;
  locale?: string | undefined;
}

export interface SlashCommandInput extends Place {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /** Files for attachment options, by option name (the same as giving them in `options`). */
  attachments?: Record<string, FileInput>;
}

export interface AutocompleteInput extends Place {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** What the user has typed so far, the focused option included. */
  options?: Record<string, OptionValue>;
  /** The option the user is typing in. */
  focused: string;
}

export interface ButtonPressInput {
  /** The message the button is on, or its id. */
  message: FakeMessage | string;
  customId: string;
  user?: UserRef;
  locale?: string;
}

export interface SelectInput extends ButtonPressInput {
  values: string[];
}

export interface ModalSubmitInput extends Place {
  /** The interaction that answered with this modal; gives custom_id, layout, channel and user. */
  interaction?: InteractionHandle;
  /** Needed without `interaction`. */
  customId?: string;
  /** Text input values by their custom_id. */
  fields: Record<string, string>;
}
