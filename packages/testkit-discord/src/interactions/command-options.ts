import type { FakeState } from '../fake-state.js';
import {
  apiChannel,
  apiInteractionMember,
  apiRole,
  apiUser,
  type ApiObject,
} from '../state/api-objects.js';
import { apiAttachment } from '../state/attachment-store.js';
import type { FakeChannel, FakeGuild } from '../state/directory-types.js';
import type { FileInput, OptionValue } from './interaction-inputs.js';

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export interface OptionRequest {
  /** The registered definition, when there is one: it decides option types and checks them. */
  command: ApiObject | undefined;
  subcommandGroup: string | undefined;
  subcommand: string | undefined;
  values: Record<string, OptionValue>;
  guild: FakeGuild;
  channel: FakeChannel;
  /** Autocomplete: the option being typed; numbers then travel as strings. */
  focused: string | undefined;
}

export interface BuiltOptions {
  options: ApiObject[];
  resolved: Record<string, Record<string, ApiObject>>;
}

/** The `options` tree and `resolved` map of a command interaction, from values a user typed. */
export function buildOptions(state: FakeState, request: OptionRequest): BuiltOptions {
  const resolved: Record<string, Record<string, ApiObject>> = {};
  const leafDefinitions = definitionsFor(request);
  const leaf = Object.entries(request.values).map(([name, value]) =>
    convert(
      state,
      request,
      resolved,
      name,
      value,
      leafDefinitions?.find((d) => d['name'] === name),
      leafDefinitions !== undefined,
    ),
  );
  if (leafDefinitions && request.focused === undefined) {
    for (const definition of leafDefinitions) {
      if (definition['required'] === true && !(String(definition['name']) in request.values)) {
        throw new Error(
          `fake Discord: option '${String(definition['name'])}' of /${commandPath(request)} is required`,
        );
      }
    }
  }
  let options = leaf;
  if (request.subcommand !== undefined) {
    options = [{ name: request.subcommand, type: OptionType.Subcommand, options: leaf }];
  }
  if (request.subcommandGroup !== undefined) {
    options = [{ name: request.subcommandGroup, type: OptionType.SubcommandGroup, options }];
  }
  return { options, resolved };
}

function definitionsFor(request: OptionRequest): ApiObject[] | undefined {
  if (!request.command) return undefined;
  let level = (request.command['options'] as ApiObject[] | undefined) ?? [];
  const descend = (name: string, type: number): void => {
    const next = level.find((o) => o['name'] === name && o['type'] === type);
    if (!next)
      throw new Error(
        `fake Discord: /${String(request.command?.['name'])} has no ${type === 1 ? 'subcommand' : 'group'} '${name}'`,
      );
    level = (next['options'] as ApiObject[] | undefined) ?? [];
  };
  if (request.subcommandGroup !== undefined)
    descend(request.subcommandGroup, OptionType.SubcommandGroup);
  if (request.subcommand !== undefined) descend(request.subcommand, OptionType.Subcommand);
  if (
    level.some(
      (o) => o['type'] === OptionType.Subcommand || o['type'] === OptionType.SubcommandGroup,
    )
  ) {
    throw new Error(`fake Discord: /${commandPath(request)} needs a subcommand`);
  }
  return level;
}

function convert(
  state: FakeState,
  request: OptionRequest,
  resolved: BuiltOptions['resolved'],
  name: string,
  input: OptionValue,
  definition: ApiObject | undefined,
  strict: boolean,
): ApiObject {
  if (strict && !definition)
    throw new Error(`fake Discord: /${commandPath(request)} has no option '${name}'`);
  const explicit = isExplicit(input) ? input : undefined;
  const raw = explicit ? explicit.value : input;
  const type = (definition?.['type'] as number | undefined) ?? explicit?.type ?? inferType(raw);
  const focused = request.focused === name;
  const add = (kind: string, id: string, object: ApiObject): void => {
    (resolved[kind] ??= {})[id] = object;
  };
  let value: unknown;
  switch (type) {
    case OptionType.Integer:
    case OptionType.Number:
      value = request.focused !== undefined ? String(raw) : Number(raw);
      if (
        request.focused === undefined &&
        type === OptionType.Integer &&
        !Number.isInteger(value)
      ) {
        throw new Error(`fake Discord: option '${name}' takes an integer, not ${String(raw)}`);
      }
      break;
    case OptionType.Boolean:
      value = raw === true || raw === 'true';
      break;
    case OptionType.User: {
      const user = state.directory.ensureUser(raw as string);
      value = user.id;
      add('users', user.id, apiUser(user));
      const member = request.guild.members.find((m) => m.user.id === user.id);
      if (member) {
        const { user: _user, ...memberFields } = apiInteractionMember(
          state.directory,
          request.guild,
          member,
        );
        add('members', user.id, memberFields);
      }
      break;
    }
    case OptionType.Channel: {
      const channel = state.directory.channel(String(raw), request.guild.id);
      value = channel.id;
      add('channels', channel.id, {
        ...apiChannel(channel, { withGuildId: true }),
        permissions: '0',
      });
      break;
    }
    case OptionType.Role:
    case OptionType.Mentionable: {
      const role = request.guild.roles.find((r) => r.id === raw || r.name === raw);
      if (!role && type === OptionType.Mentionable)
        return convert(
          state,
          request,
          resolved,
          name,
          { type: OptionType.User, value: String(raw) },
          undefined,
          false,
        );
      if (!role) throw new Error(`fake Discord: no role '${String(raw)}'`);
      value = role.id;
      add('roles', role.id, apiRole(role));
      break;
    }
    case OptionType.Attachment: {
      const file = raw as unknown as FileInput;
      const attachment = state.attachments.add({
        channelId: request.channel.id,
        filename: file.filename,
        bytes: Buffer.from(file.bytes),
        contentType: file.contentType,
        ephemeral: true,
      });
      value = attachment.id;
      add('attachments', attachment.id, apiAttachment(attachment));
      break;
    }
    default:
      value = String(raw);
  }
  checkChoices(name, definition, value, request.focused !== undefined);
  return { name, type, value, ...(focused ? { focused: true } : {}) };
}

function checkChoices(
  name: string,
  definition: ApiObject | undefined,
  value: unknown,
  autocomplete: boolean,
): void {
  const choices = definition?.['choices'] as ApiObject[] | undefined;
  if (autocomplete || !choices || choices.length === 0) return;
  if (!choices.some((choice) => choice['value'] === value)) {
    throw new Error(
      `fake Discord: '${String(value)}' is not one of the choices of option '${name}'`,
    );
  }
}

function inferType(value: unknown): number {
  if (typeof value === 'boolean') return OptionType.Boolean;
  if (typeof value === 'number')
    return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  if (typeof value === 'object' && value !== null && 'filename' in value)
    return OptionType.Attachment;
  return OptionType.String;
}

function isExplicit(
  value: OptionValue,
): value is { type: number; value: string | number | boolean } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    'value' in value &&
    !('filename' in value)
  );
}

function commandPath(request: OptionRequest): string {
  const name = String(request.command?.['name'] ?? '?');
  return [name, request.subcommandGroup, request.subcommand].filter(Boolean).join(' ');
}
