import type { FakeState } from '../../fake-state.js';
import { Errors } from '../../http/api-error.js';
import { apiChannel, apiGuildCreate, apiMember } from '../../state/api-objects.js';
import type { FakeGuild } from '../../state/directory-types.js';
import { ok, type RestRequest, type RestRoute } from '../rest-route.js';

/** Fields GUILD_CREATE has that GET /guilds/{id} does not. */
const GATEWAY_ONLY = [
  'joined_at',
  'large',
  'unavailable',
  'lazy',
  'member_count',
  'channels',
  'members',
  'threads',
  'presences',
  'voice_states',
  'stage_instances',
  'guild_scheduled_events',
  'soundboard_sounds',
  'embedded_activities',
];

export function guildRoutes(state: FakeState): RestRoute[] {
  const { directory } = state;
  const guildOf = ({ params }: RestRequest): FakeGuild => {
    const guild = directory.guildById(params['guild'] ?? '');
    if (!guild) throw Errors.unknownGuild();
    return guild;
  };
  return [
    {
      method: 'GET',
      template: '/guilds/{guild}',
      auth: 'bot',
      bucket: 'guild',
      handle: (request) => {
        const guild = apiGuildCreate(guildOf(request), directory.bot);
        for (const key of GATEWAY_ONLY) delete guild[key];
        return ok(guild);
      },
    },
    {
      method: 'GET',
      template: '/guilds/{guild}/channels',
      auth: 'bot',
      bucket: 'guild-channels',
      handle: (request) =>
        ok(guildOf(request).channels.map((c) => apiChannel(c, { withGuildId: true }))),
    },
    {
      method: 'GET',
      template: '/guilds/{guild}/members/{user}',
      auth: 'bot',
      bucket: 'guild-member',
      handle: (request) => {
        const member = guildOf(request).members.find((m) => m.user.id === request.params['user']);
        if (!member) throw Errors.unknownMember();
        return ok(apiMember(member));
      },
    },
  ];
}
