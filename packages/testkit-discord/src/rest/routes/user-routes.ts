import type { FakeState } from '../../fake-state.js';
import { Errors } from '../../http/api-error.js';
import { apiUser } from '../../state/api-objects.js';
import { ok, type RestRoute } from '../rest-route.js';

export function userRoutes(state: FakeState): RestRoute[] {
  const { directory, config } = state;
  const currentUser = (): unknown => ({
    ...apiUser(directory.bot),
    bot: true,
    verified: true,
    mfa_enabled: false,
    email: null,
    flags: 0,
    locale: 'en-US',
    premium_type: 0,
  });
  const currentApplication = (): unknown => ({
    id: config.applicationId,
    name: directory.bot.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    hook: true,
    is_monetized: false,
    is_verified: false,
    is_discoverable: false,
    integration_types_config: { '0': {} },
    approximate_guild_count: directory.guilds.length,
    tags: [],
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    owner: apiUser(directory.guilds[0]?.members[0]?.user ?? directory.bot),
    team: null,
    bot: apiUser(directory.bot),
  });
  return [
    {
      method: 'GET',
      template: '/users/@me',
      auth: 'bot',
      bucket: 'current-user',
      handle: () => ok(currentUser()),
    },
    {
      method: 'GET',
      template: '/users/{user}',
      auth: 'bot',
      bucket: 'user',
      handle: ({ params }) => {
        const user = directory.userById(params['user'] ?? '');
        if (!user) throw Errors.unknownUser();
        return ok(apiUser(user));
      },
    },
    {
      method: 'GET',
      template: '/applications/@me',
      auth: 'bot',
      bucket: 'current-application',
      handle: () => ok(currentApplication()),
    },
    {
      method: 'GET',
      template: '/oauth2/applications/@me',
      auth: 'bot',
      bucket: 'current-application',
      handle: () => ok(currentApplication()),
    },
  ];
}
