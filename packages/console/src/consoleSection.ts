import { defineSection } from '@comfyrelay/platform';
import { z } from 'zod';

export const DEFAULT_CONSOLE_PORT = 8190;

/**
 * The `console` key of the platform's configuration, and the environment variables that set it.
 * Its value is the options `consoleApp` takes.
 */
export const consoleSection = defineSection({
  key: 'console',
  schema: z
    .strictObject({
      port: z.number().int().min(0).max(65_535).default(DEFAULT_CONSOLE_PORT),
      /** Without an access token only loopback peers get an answer, whatever the address. */
      host: z.string().min(1).default('127.0.0.1'),
      // Anyone who can reach the port may guess: a short token is soon found.
      accessToken: z
        .string()
        .min(16, { error: 'expected at least 16 characters (use a long random token)' })
        .optional(),
      operatorName: z.string().min(1).optional(),
    })
    .default({ port: DEFAULT_CONSOLE_PORT, host: '127.0.0.1' }),
  env: {
    COMFYRELAY_CONSOLE_PORT: { path: 'port', read: 'number' },
    COMFYRELAY_CONSOLE_HOST: 'host',
    COMFYRELAY_CONSOLE_TOKEN: 'accessToken',
  },
  secrets: ['accessToken'],
});
