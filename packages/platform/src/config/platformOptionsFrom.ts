import { resolve } from 'node:path';
import type { BackendConfig } from '@comfyrelay/core';
import type { PlatformOptions } from '../startPlatform.js';
import type { ConfigOf } from './ConfigSection.js';
import type { PLATFORM_SECTIONS } from './platformSections.js';

/** What every comfyrelay process reads, validated: servers, dataDir, limits, logging … */
export type PlatformConfig = ConfigOf<typeof PLATFORM_SECTIONS>;

/** The part of {@link PlatformOptions} the platform's own configuration decides. */
export type PlatformOptionsFromConfig = Required<
  Pick<PlatformOptions, 'servers' | 'dataDir' | 'retentionDays' | 'drainMs' | 'relay'>
>;

/**
 * `startPlatform`'s options as the configuration sets them, the same for `comfyrelay start` and
 * a bot's own binary: the servers with their credentials, the data directory (relative to
 * `cwd`), the retention, the shutdown time, and the relay's queue limits, deadline and whether a
 * generation running on a lost server starts over elsewhere.
 */
export function platformOptionsFrom(
  config: PlatformConfig,
  cwd: string,
): PlatformOptionsFromConfig {
  const {
    perServer,
    perUserConcurrent,
    perUserPerMinute,
    globalQueued,
    timeoutMinutes,
    unreachableGraceSeconds,
    retryRunningOnUnreachable,
  } = config.limits;
  return {
    servers: config.servers.map(({ url, id, auth }): BackendConfig => ({
      url,
      ...(id !== undefined ? { id } : {}),
      ...(auth !== undefined ? { auth } : {}),
    })),
    dataDir: resolve(cwd, config.dataDir),
    retentionDays: config.retentionDays,
    drainMs: config.shutdownSeconds * 1000,
    relay: {
      scheduling: {
        perBackend: perServer,
        // A limit left out does not apply.
        limits: {
          ...(perUserConcurrent !== undefined ? { perUserConcurrent } : {}),
          ...(perUserPerMinute !== undefined ? { perUserPerMinute } : {}),
          ...(globalQueued !== undefined ? { globalQueued } : {}),
        },
      },
      deadlineMs: timeoutMinutes * 60_000,
      unreachableGraceMs: unreachableGraceSeconds * 1000,
      retryRunningOnUnreachable,
    },
  };
}
