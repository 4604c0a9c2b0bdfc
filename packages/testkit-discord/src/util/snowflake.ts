const DISCORD_EPOCH_MS = 1_420_070_400_000n;

let lastMs = 0n;
let increment = 0n;

/**
 * A Discord snowflake for "now": 19 digits, so @discordjs/rest recognises it as an id when it
 * derives rate-limit routes (it only treats 17–19 digit numbers as ids).
 */
export function nextSnowflake(nowMs: number = Date.now()): string {
  let ms = BigInt(nowMs);
  if (ms < lastMs) ms = lastMs;
  if (ms === lastMs) {
    increment += 1n;
    if (increment > 0xfffn) {
      ms += 1n;
      increment = 0n;
    }
  } else {
    increment = 0n;
  }
  lastMs = ms;
  const workerAndProcess = 1n << 17n;
  return (((ms - DISCORD_EPOCH_MS) << 22n) | workerAndProcess | increment).toString();
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}
