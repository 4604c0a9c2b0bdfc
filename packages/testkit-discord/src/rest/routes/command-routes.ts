import type { FakeState } from '../../fake-state.js';
import { Errors, invalidFormBody } from '../../http/api-error.js';
import type { ApiObject } from '../../state/api-objects.js';
import { validateCommand, validateCommandList } from '../../state/command-validation.js';
import {
  created,
  jsonObject,
  noContent,
  ok,
  type RestRequest,
  type RestRoute,
} from '../rest-route.js';

export function commandRoutes(state: FakeState): RestRoute[] {
  const { commands } = state;

  /** null for global commands; throws for another application or a guild the bot is not in. */
  const scopeOf = ({ params }: RestRequest): string | null => {
    if (params['application'] !== state.config.applicationId) throw Errors.missingAccess();
    const guildId = params['guild'];
    if (guildId === undefined) return null;
    if (!state.directory.guildById(guildId)) throw Errors.missingAccess();
    return guildId;
  };
  const existing = (request: RestRequest): { scope: string | null; command: ApiObject } => {
    const scope = scopeOf(request);
    const command = commands.find(scope, request.params['command'] ?? '');
    if (!command) throw Errors.unknownCommand();
    return { scope, command };
  };

  const listRoutes = (prefix: string): RestRoute[] => [
    {
      method: 'GET',
      template: prefix,
      auth: 'bot',
      bucket: 'commands-read',
      handle: (request) => ok(commands.list(scopeOf(request))),
    },
    {
      method: 'PUT',
      template: prefix,
      auth: 'bot',
      bucket: 'commands-write',
      handle: (request) => {
        const scope = scopeOf(request);
        const errors = validateCommandList(request.json);
        if (errors.length > 0) throw invalidFormBody(errors);
        return ok(commands.overwrite(scope, request.json as ApiObject[]));
      },
    },
    {
      method: 'POST',
      template: prefix,
      auth: 'bot',
      bucket: 'commands-write',
      handle: (request) => {
        const scope = scopeOf(request);
        const errors = validateCommand(request.json, '');
        if (errors.length > 0) throw invalidFormBody(errors);
        const result = commands.upsert(scope, jsonObject(request.json));
        return result.created ? created(result.command) : ok(result.command);
      },
    },
    {
      method: 'GET',
      template: `${prefix}/{command}`,
      auth: 'bot',
      bucket: 'command-read',
      handle: (request) => ok(existing(request).command),
    },
    {
      method: 'PATCH',
      template: `${prefix}/{command}`,
      auth: 'bot',
      bucket: 'command-edit',
      handle: (request) => {
        const { scope, command } = existing(request);
        const merged = { ...command, ...jsonObject(request.json) };
        const errors = validateCommand(merged, '');
        if (errors.length > 0) throw invalidFormBody(errors);
        return ok(commands.edit(scope, String(command['id']), jsonObject(request.json)));
      },
    },
    {
      method: 'DELETE',
      template: `${prefix}/{command}`,
      auth: 'bot',
      bucket: 'command-delete',
      handle: (request) => {
        const { scope, command } = existing(request);
        commands.remove(scope, String(command['id']));
        return noContent();
      },
    },
  ];

  return [
    ...listRoutes('/applications/{application}/commands'),
    ...listRoutes('/applications/{application}/guilds/{guild}/commands'),
  ];
}
