/** "40 seconds", "3 minutes": a duration in the words of a message to a user. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minute${ms >= 90_000 ? 's' : ''}`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
