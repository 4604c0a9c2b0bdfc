import type { TypedEmitter } from '../util/typed-emitter.js';
import { nextSnowflake } from '../util/snowflake.js';
import type { ApiObject } from './api-objects.js';

export type CommandScope = string | null;

export interface CommandWrite {
  at: number;
  /** The guild id, or null for global commands. */
  guildId: string | null;
  method: 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** The whole set in that scope after the write. */
  commands: ApiObject[];
}

export interface CommandStoreEvents {
  'commands-write': CommandWrite;
}

/** Registered application commands, global and per guild, and the log of writes. */
export class CommandStore {
  readonly writes: CommandWrite[] = [];
  private readonly scopes = new Map<CommandScope, ApiObject[]>();

  constructor(
    private readonly applicationId: string,
    private readonly events: TypedEmitter<CommandStoreEvents>,
  ) {}

  list(guildId: CommandScope): ApiObject[] {
    return [...(this.scopes.get(guildId) ?? [])];
  }

  find(guildId: CommandScope, id: string): ApiObject | undefined {
    return this.scopes.get(guildId)?.find((command) => command['id'] === id);
  }

  /** What a user in `guildId` can invoke by name: the guild's command first, then the global one. */
  findInvocable(name: string, guildId: string | null, type = 1): ApiObject | undefined {
    const match = (command: ApiObject): boolean =>
      command['name'] === name && (command['type'] ?? 1) === type;
    return (
      (guildId !== null ? this.scopes.get(guildId)?.find(match) : undefined) ??
      this.scopes.get(null)?.find(match)
    );
  }

  /** Bulk overwrite: commands keep their id when a command of the same name and type existed. */
  overwrite(guildId: CommandScope, definitions: ApiObject[]): ApiObject[] {
    const previous = this.scopes.get(guildId) ?? [];
    const next = definitions.map((definition) => {
      const existing = previous.find((c) => sameIdentity(c, definition));
      return this.normalize(guildId, definition, existing?.['id'] as string | undefined);
    });
    this.scopes.set(guildId, next);
    this.recordWrite(guildId, 'PUT');
    return next;
  }

  /** POST: creates, or replaces the command of the same name and type. */
  upsert(guildId: CommandScope, definition: ApiObject): { command: ApiObject; created: boolean } {
    const list = this.scopes.get(guildId) ?? [];
    const index = list.findIndex((c) => sameIdentity(c, definition));
    const existingId = index >= 0 ? (list[index]?.['id'] as string) : undefined;
    const command = this.normalize(guildId, definition, existingId);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.scopes.set(guildId, list);
    this.recordWrite(guildId, 'POST');
    return { command, created: index < 0 };
  }

  edit(guildId: CommandScope, id: string, changes: ApiObject): ApiObject | undefined {
    const list = this.scopes.get(guildId) ?? [];
    const index = list.findIndex((c) => c['id'] === id);
    const existing = list[index];
    if (!existing) return undefined;
    const command = this.normalize(guildId, { ...existing, ...changes }, id);
    list[index] = command;
    this.recordWrite(guildId, 'PATCH');
    return command;
  }

  remove(guildId: CommandScope, id: string): boolean {
    const list = this.scopes.get(guildId) ?? [];
    const index = list.findIndex((c) => c['id'] === id);
    if (index < 0) return false;
    list.splice(index, 1);
    this.recordWrite(guildId, 'DELETE');
    return true;
  }

  private normalize(
    guildId: CommandScope,
    definition: ApiObject,
    id: string | undefined,
  ): ApiObject {
    const type = (definition['type'] as number | undefined) ?? 1;
    const options = definition['options'] as unknown[] | undefined;
    return {
      id: id ?? nextSnowflake(),
      application_id: this.applicationId,
      version: nextSnowflake(),
      default_member_permissions: definition['default_member_permissions'] ?? null,
      type,
      name: definition['name'],
      name_localizations: definition['name_localizations'] ?? null,
      description: definition['description'] ?? '',
      description_localizations: definition['description_localizations'] ?? null,
      ...(guildId !== null
        ? { guild_id: guildId }
        : { dm_permission: definition['dm_permission'] ?? true }),
      ...(options && options.length > 0 ? { options } : {}),
      contexts: definition['contexts'] ?? null,
      integration_types: definition['integration_types'] ?? [0],
      nsfw: definition['nsfw'] ?? false,
    };
  }

  private recordWrite(guildId: CommandScope, method: CommandWrite['method']): void {
    const write: CommandWrite = { at: Date.now(), guildId, method, commands: this.list(guildId) };
    this.writes.push(write);
    this.events.emit('commands-write', write);
  }
}

function sameIdentity(a: ApiObject, b: ApiObject): boolean {
  return a['name'] === b['name'] && (a['type'] ?? 1) === (b['type'] ?? 1);
}
