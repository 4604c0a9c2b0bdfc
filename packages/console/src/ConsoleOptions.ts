import type { Logger } from '@comfyrelay/core';
import type { PlatformMetrics } from '@comfyrelay/platform';

export interface ConsoleOptions {
  /** 0 picks a free port. */
  port: number;
  /**
   * Address to listen on (default 127.0.0.1). Listening on a public address does not open the
   * console by itself: without `accessToken` only loopback peers get an answer.
   */
  host?: string | undefined;
  /**
   * With a token, the console, its API, its event stream and /metrics answer only requests
   * that present it (Authorization: Bearer, or the cookie the login form sets), from anywhere.
   */
  accessToken?: string | undefined;
  /** Shown as who asked for the Try-it form's generations (default "Console operator"). */
  operatorName?: string | undefined;
  /** How often live listeners are pinged; one that stops reading is cut within about 4×. */
  pingIntervalMs?: number | undefined;
  logger?: Logger | undefined;
  /**
   * The platform's measurements, shown in /metrics (store latency, chat platforms' 429s):
   * `consoleApp` passes the platform's own; a console started on a bare relay has none.
   */
  platformMetrics?: PlatformMetrics | undefined;
}
