import { apiUser, type ApiObject } from '../state/api-objects.js';
import type { FakeGuild, FakeUser } from '../state/directory-types.js';
import type { GatewaySession } from './gateway-session.js';
import { Intent } from './protocol.js';

/** Application flags that say which privileged intents the bot may use (the "limited" ones). */
const APPLICATION_FLAG_FOR_INTENT: [number, number][] = [
  [Intent.GuildPresences, 1 << 13],
  [Intent.GuildMembers, 1 << 15],
  [Intent.MessageContent, 1 << 19],
];

export interface ReadyContext {
  bot: FakeUser;
  applicationId: string;
  resumeGatewayUrl: string;
  allowedPrivilegedIntents: number;
}

export function readyPayload(
  session: GatewaySession,
  guilds: FakeGuild[],
  context: ReadyContext,
): ApiObject {
  let flags = 0;
  for (const [intent, flag] of APPLICATION_FLAG_FOR_INTENT) {
    if ((context.allowedPrivilegedIntents & intent) !== 0) flags |= flag;
  }
  return {
    v: 10,
    user_settings: {},
    user: { ...apiUser(context.bot), verified: true, mfa_enabled: false, email: null, flags: 0 },
    guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
    guild_join_requests: [],
    relationships: [],
    private_channels: [],
    presences: [],
    session_id: session.id,
    session_type: 'normal',
    resume_gateway_url: context.resumeGatewayUrl,
    shard: session.identity.shard,
    application: { id: context.applicationId, flags },
    auth: {},
    geo_ordered_rtc_regions: [],
  };
}
