import { apiMember, type ApiObject } from '../state/api-objects.js';
import type { FakeGuild } from '../state/directory-types.js';

/** The GUILD_MEMBERS_CHUNK answering op 8 REQUEST_GUILD_MEMBERS: all matches in one chunk. */
export function memberChunk(guild: FakeGuild, request: Record<string, unknown>): ApiObject {
  const query = typeof request['query'] === 'string' ? request['query'].toLowerCase() : '';
  const userIds = Array.isArray(request['user_ids'])
    ? (request['user_ids'] as string[])
    : undefined;
  const limit =
    typeof request['limit'] === 'number' && request['limit'] > 0 ? request['limit'] : Infinity;
  const members = guild.members
    .filter((m) =>
      userIds ? userIds.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
    )
    .slice(0, limit);
  return {
    guild_id: guild.id,
    members: members.map(apiMember),
    chunk_index: 0,
    chunk_count: 1,
    not_found: userIds ? userIds.filter((id) => !members.some((m) => m.user.id === id)) : [],
    ...(request['nonce'] !== undefined ? { nonce: request['nonce'] } : {}),
  };
}
