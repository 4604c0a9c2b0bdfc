/** Discord's ISO8601 flavour: microseconds and an explicit +00:00 offset. */
export function discordTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}
