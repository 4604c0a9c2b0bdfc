import type { FakeState } from '../fake-state.js';
import type { ApiObject } from '../state/api-objects.js';
import type { FakeMessage } from '../state/fake-message.js';
import {
  CallbackType,
  InteractionType,
  type InteractionRecord,
} from '../state/interaction-record.js';
import { apiMessage } from '../state/message-api.js';
import { randomToken } from '../util/random-token.js';
import { nextSnowflake } from '../util/snowflake.js';
import { buildOptions } from './command-options.js';
import { InteractionHandle } from './interaction-handle.js';
import type {
  AutocompleteInput,
  ButtonPressInput,
  ModalSubmitInput,
  SelectInput,
  SlashCommandInput,
} from './interaction-inputs.js';
import { interactionEnvelope, resolvePlace, type ResolvedPlace } from './interaction-payload.js';
import { modalSubmitComponents, plainModalLayout } from './modal-submission.js';

const CHAT_INPUT = 1;
const BUTTON = 2;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

/** Builds interactions as a user's clicks would, and dispatches them over the gateway. */
export class InteractionInjector {
  private readonly handles = new Map<string, InteractionHandle>();

  constructor(private readonly state: FakeState) {}

  handle(interactionId: string): InteractionHandle | undefined {
    return this.handles.get(interactionId);
  }

  slashCommand(input: SlashCommandInput): InteractionHandle {
    return this.commandInteraction(input, InteractionType.ApplicationCommand, undefined, {
      ...input.options,
      ...input.attachments,
    });
  }

  autocomplete(input: AutocompleteInput): InteractionHandle {
    if (input.options?.[input.focused] === undefined) {
      throw new Error(
        `fake Discord: give the focused option '${input.focused}' a value (what is typed so far)`,
      );
    }
    return this.commandInteraction(
      input,
      InteractionType.ApplicationCommandAutocomplete,
      input.focused,
      input.options ?? {},
    );
  }

  pressButton(input: ButtonPressInput): InteractionHandle {
    const { message, component } = this.componentOn(input.message, input.customId);
    if (component['type'] !== BUTTON)
      throw new Error(`fake Discord: '${input.customId}' is not a button`);
    return this.componentInteraction(input, message, {
      custom_id: input.customId,
      component_type: BUTTON,
    });
  }

  selectMenu(input: SelectInput): InteractionHandle {
    const { message, component } = this.componentOn(input.message, input.customId);
    const type = component['type'] as number;
    if (!SELECT_TYPES.has(type))
      throw new Error(`fake Discord: '${input.customId}' is not a select menu`);
    const choices = (component['options'] as ApiObject[] | undefined)?.map((o) => o['value']);
    const unknown = choices ? input.values.filter((v) => !choices.includes(v)) : [];
    if (unknown.length > 0)
      throw new Error(`fake Discord: the select has no option ${unknown.join(', ')}`);
    return this.componentInteraction(input, message, {
      custom_id: input.customId,
      component_type: type,
      values: input.values,
    });
  }

  submitModal(input: ModalSubmitInput): InteractionHandle {
    const opener = input.interaction
      ? this.state.interactions.get(input.interaction.id)
      : undefined;
    if (input.interaction && (!opener?.ack || opener.ack.type !== CallbackType.Modal)) {
      throw new Error('fake Discord: that interaction was not answered with a modal');
    }
    const modal = opener?.ack?.data ?? {};
    const customId = input.customId ?? (modal['custom_id'] as string | undefined);
    if (customId === undefined)
      throw new Error('fake Discord: submitModal needs `interaction` or `customId`');
    const layout =
      (modal['components'] as ApiObject[] | undefined) ?? plainModalLayout(input.fields);
    const place = resolvePlace(this.state, {
      ...input,
      channelId: input.channelId ?? opener?.channelId,
      user: input.user ?? opener?.user,
    });
    const source = opener?.sourceMessageId
      ? this.state.messages.get(opener.sourceMessageId)
      : undefined;
    return this.dispatch(place, InteractionType.ModalSubmit, {
      data: { custom_id: customId, components: modalSubmitComponents(layout, input.fields) },
      source,
    });
  }

  private commandInteraction(
    input: Omit<SlashCommandInput, 'options' | 'attachments'>,
    type: number,
    focused: string | undefined,
    values: SlashCommandInput['options'] & object,
  ): InteractionHandle {
    const place = resolvePlace(this.state, input);
    const command = this.state.commands.findInvocable(input.name, place.guild.id, CHAT_INPUT);
    if (!command && this.state.config.requireRegisteredCommands) {
      throw new Error(
        `fake Discord: no command /${input.name} is registered for guild ${place.guild.name} or globally`,
      );
    }
    const { options, resolved } = buildOptions(this.state, {
      command,
      subcommandGroup: input.subcommandGroup,
      subcommand: input.subcommand,
      values,
      guild: place.guild,
      channel: place.channel,
      focused,
    });
    const data: ApiObject = {
      id: command?.['id'] ?? nextSnowflake(),
      name: input.name,
      type: CHAT_INPUT,
      ...(options.length > 0 ? { options } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
      ...(command?.['guild_id'] !== undefined ? { guild_id: command['guild_id'] } : {}),
    };
    return this.dispatch(place, type, { data, commandName: input.name, commandType: CHAT_INPUT });
  }

  private componentOn(
    ref: FakeMessage | string,
    customId: string,
  ): { message: FakeMessage; component: ApiObject } {
    const message = typeof ref === 'string' ? this.state.messages.get(ref) : ref;
    if (!message || message.deleted)
      throw new Error('fake Discord: that message does not exist (any more)');
    const component = message.findComponent(customId);
    if (!component) {
      throw new Error(
        `fake Discord: the message has no component '${customId}' (it has: ${message.customIds().join(', ') || 'none'})`,
      );
    }
    if (component['disabled'] === true) throw new Error(`fake Discord: '${customId}' is disabled`);
    return { message, component };
  }

  private componentInteraction(
    input: ButtonPressInput,
    message: FakeMessage,
    data: ApiObject,
  ): InteractionHandle {
    // Only the user an ephemeral message was for can see it, and so press its buttons.
    const user = input.user ?? (message.ephemeral ? message.interaction?.user : undefined);
    const place = resolvePlace(this.state, {
      channelId: message.channelId,
      ...(user !== undefined ? { user } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
    });
    return this.dispatch(place, InteractionType.MessageComponent, { data, source: message });
  }

  private dispatch(
    place: ResolvedPlace,
    type: number,
    parts: {
      data: ApiObject;
      source?: FakeMessage | undefined;
      commandName?: string;
      commandType?: number;
    },
  ): InteractionHandle {
    const id = nextSnowflake();
    const token = randomToken();
    const payload: ApiObject = {
      ...interactionEnvelope(this.state, place, { id, token, type }),
      data: parts.data,
      ...(parts.source ? { message: apiMessage(parts.source, this.state.messages) } : {}),
    };
    const record: InteractionRecord = this.state.interactions.create({
      id,
      token,
      type,
      guildId: place.guild.id,
      channelId: place.channel.id,
      user: place.user,
      commandName: parts.commandName,
      commandType: parts.commandType,
      sourceMessageId: parts.source?.id,
      payload,
      ackWindowMs: this.state.config.interactionAckWindowMs,
      tokenLifetimeMs: this.state.config.interactionTokenLifetimeMs,
    });
    const recipients = this.state.gateway.dispatch('INTERACTION_CREATE', payload, place.guild.id);
    if (recipients === 0) {
      throw new Error(
        'fake Discord: no gateway session to deliver the interaction to; is the bot logged in?',
      );
    }
    const handle = new InteractionHandle(record, this.state);
    this.handles.set(id, handle);
    this.state.events.emit('interaction-create', { interactionId: id, type });
    return handle;
  }
}
