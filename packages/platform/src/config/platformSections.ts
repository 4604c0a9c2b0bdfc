import { z } from 'zod';
import { defineSection } from './ConfigSection.js';

const wholeNumber = (least: number) => z.number().int().min(least);

/** An http(s) address with a host: `htp:/oops` and `http://` are refused, not guessed at. */
export const httpUrl = z.string().check((context) => {
  const text = context.value;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.hostname === '' || !/^https?:\/\//i.test(text))
    context.issues.push({
      code: 'custom',
      input: text,
      message: 'expected an http:// or https:// address with a host, such as http://127.0.0.1:8188',
    });
});

const basicAuth = z.strictObject({ username: z.string().min(1), password: z.string() });
const bearerAuth = z.strictObject({ token: z.string().min(1) });

const server = z
  .strictObject({
    url: httpUrl,
    /** Short name for logs and the console (default host:port). */
    id: z
      .string()
      .regex(/^[\w.-]{1,40}$/, { error: 'expected up to 40 letters, digits, dots, - or _' })
      .optional(),
    auth: z
      .union([basicAuth, bearerAuth], {
        error: 'expected { "username": …, "password": … } or { "token": … }',
      })
      .optional(),
  })
  .transform(({ url, ...rest }) => {
    // Credentials in the URL (http://user:pass@host) are basic auth; the URL is kept without them.
    const parsed = new URL(url);
    if (parsed.username === '' || rest.auth) return { url: url.replace(/\/+$/, ''), ...rest };
    const auth = {
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
    parsed.username = '';
    parsed.password = '';
    return { url: parsed.href.replace(/\/+$/, ''), ...rest, auth };
  });

export type ServerConfig = z.output<typeof server>;

/** The ComfyUI servers; none: the built-in simulator. */
export const serversSection = defineSection({
  key: 'servers',
  schema: z.array(server).default([]),
  env: {
    COMFYUI_URL: {
      path: '',
      read: (text) =>
        text
          .split(',')
          .map((url) => url.trim())
          .filter((url) => url !== '')
          .map((url) => ({ url })),
    },
  },
  secrets: ['*.auth.password', '*.auth.token'],
});

export const dataDirSection = defineSection({
  key: 'dataDir',
  schema: z.string().min(1).default('./data'),
  env: { COMFYRELAY_DATA_DIR: '' },
});

export const retentionDaysSection = defineSection({
  key: 'retentionDays',
  schema: z.number().positive().default(30),
  env: { COMFYRELAY_RETENTION_DAYS: { path: '', read: 'number' } },
});

/** The relay's own queue and its limits, the same for every frontend. */
export const limitsSection = defineSection({
  key: 'limits',
  schema: z
    .strictObject({
      perUserConcurrent: wholeNumber(1).optional(),
      perUserPerMinute: wholeNumber(1).optional(),
      globalQueued: wholeNumber(1).optional(),
      /** Our prompts on one ComfyUI server at a time. */
      perServer: wholeNumber(1).default(2),
      /** A generation not done by then fails (0: no limit). */
      timeoutMinutes: z.number().min(0).default(10),
      /**
       * How long a server may stay unreachable before the generations running on it fail (or
       * start over elsewhere, below); 0 waits for it forever.
       */
      unreachableGraceSeconds: z.number().min(0).default(180),
      /**
       * A generation running on a server that stays unreachable past the grace starts over from
       * the beginning on another server, once, instead of failing.
       */
      retryRunningOnUnreachable: z.boolean().default(false),
    })
    .default({
      perServer: 2,
      timeoutMinutes: 10,
      unreachableGraceSeconds: 180,
      retryRunningOnUnreachable: false,
    }),
  env: {
    COMFYRELAY_MAX_JOBS_PER_USER: { path: 'perUserConcurrent', read: 'number' },
    COMFYRELAY_MAX_JOBS_PER_MINUTE: { path: 'perUserPerMinute', read: 'number' },
    COMFYRELAY_MAX_QUEUED: { path: 'globalQueued', read: 'number' },
    COMFYRELAY_JOBS_PER_SERVER: { path: 'perServer', read: 'number' },
    COMFYRELAY_TIMEOUT_MINUTES: { path: 'timeoutMinutes', read: 'number' },
    COMFYRELAY_UNREACHABLE_GRACE_SECONDS: { path: 'unreachableGraceSeconds', read: 'number' },
    COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE: { path: 'retryRunningOnUnreachable', read: 'flag' },
  },
});

/**
 * How long a stop (Ctrl-C, SIGTERM) lets the generations running on ComfyUI finish while the
 * frontends still deliver them; what is not done by then is kept for the next start.
 */
export const shutdownSecondsSection = defineSection({
  key: 'shutdownSeconds',
  // Beyond a day a timer would overflow (and no service manager waits that long).
  schema: z.number().min(0).max(86_400).default(30),
  env: { COMFYRELAY_SHUTDOWN_SECONDS: { path: '', read: 'number' } },
});

export const loggingSection = defineSection({
  key: 'logging',
  schema: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
      /** auto: pretty on a terminal, JSON otherwise. */
      format: z.enum(['auto', 'json', 'pretty']).default('auto'),
    })
    .default({ level: 'info', format: 'auto' }),
  env: {
    COMFYRELAY_LOG_LEVEL: 'level',
    COMFYRELAY_LOG_FORMAT: 'format',
  },
});

/** A folder of workflows exported from ComfyUI, each offered as a command. */
export const workflowsDirSection = defineSection({
  key: 'workflowsDir',
  schema: z.string().min(1).optional(),
  env: { COMFYRELAY_WORKFLOWS_DIR: '' },
});

/** What every comfyrelay process reads, whatever apps it runs. */
export const PLATFORM_SECTIONS = [
  serversSection,
  dataDirSection,
  retentionDaysSection,
  limitsSection,
  shutdownSecondsSection,
  loggingSection,
  workflowsDirSection,
] as const;
