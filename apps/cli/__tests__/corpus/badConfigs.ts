/**
 * Bad configurations, as operators write them, each with the exact report `comfyrelay config
 * check` gives (stderr, after "comfyrelay config: ") and exit status 2. `comfyrelay start` gives
 * the same report (and starts nothing). Placeholder: {dir} the folder the case runs in, where its
 * `files` are written.
 */
export interface BadConfig {
  id: string;
  /** Files written into the case's folder: name → text. */
  files: Record<string, string>;
  /** The config file to name (`config check FILE`, `start --config FILE`). */
  file?: string;
  env?: Record<string, string>;
  /** The whole report, exactly. */
  says: string;
}

const json = (value: unknown) => ({ 'comfyrelay.config.json': JSON.stringify(value, null, 2) });
const yaml = (text: string) => ({ 'comfyrelay.config.yaml': text });
const inJson = '{dir}/comfyrelay.config.json and the environment';
const inYaml = '{dir}/comfyrelay.config.yaml and the environment';
const noFile = 'the environment (no config file)';

export const badConfigs: BadConfig[] = [
  {
    id: 'json-trailing-comma',
    files: { 'comfyrelay.config.json': '{\n  "dataDir": "./d",\n}\n' },
    says: `${inJson} has 1 problem:
  {dir}/comfyrelay.config.json: not valid JSON at line 3, column 1: Expected double-quoted property name`,
  },
  {
    id: 'json-unquoted-key',
    files: { 'comfyrelay.config.json': '{ servers: [] }' },
    says: `${inJson} has 1 problem:
  {dir}/comfyrelay.config.json: not valid JSON at line 1, column 3: Expected property name or '}'`,
  },
  {
    id: 'yaml-bad-indentation',
    files: yaml('servers:\n  - url: http://gpu:8188\n   id: gpu\n'),
    says: `${inYaml} has 1 problem:
  {dir}/comfyrelay.config.yaml: not valid YAML at line 3, column 1: Sequence item without - indicator`,
  },
  {
    id: 'yaml-duplicate-key',
    files: yaml('dataDir: ./a\ndataDir: ./b\n'),
    says: `${inYaml} has 1 problem:
  {dir}/comfyrelay.config.yaml: not valid YAML at line 2, column 1: Map keys must be unique`,
  },
  {
    id: 'top-level-list',
    files: yaml('- url: http://gpu:8188\n'),
    says: `${inYaml} has 1 problem:
  {dir}/comfyrelay.config.yaml: expected keys and values at the top, such as { "servers": [...] }`,
  },
  {
    id: 'unknown-keys-with-suggestions',
    files: yaml('severs: []\nlogging:\n  levle: debug\nconsole:\n  acessToken: x\n'),
    says: `${inYaml} has 3 problems:
  severs: unknown key; did you mean servers?
  logging.levle: unknown key; did you mean level?
  console.acessToken: unknown key; did you mean accessToken?`,
  },
  {
    id: 'unknown-key-without-suggestion',
    files: json({ colour: 'red' }),
    says: `${inJson} has 1 problem:
  colour: unknown key`,
  },
  {
    id: 'bad-server-urls',
    files: yaml(
      'servers:\n  - url: htp:/oops\n  - url: "http://"\n  - url: gpu-box:8188\n  - url: ftp://gpu:21\n',
    ),
    says: `${inYaml} has 4 problems:
  servers[0].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'htp:/oops'
  servers[1].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'http://'
  servers[2].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'gpu-box:8188'
  servers[3].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'ftp://gpu:21'`,
  },
  {
    id: 'server-on-a-port-browsers-refuse',
    files: json({ servers: [{ url: 'http://gpu:6000' }] }),
    says: `${inJson} has 1 problem:
  servers[0].url: port 6000 is one that web clients refuse to connect to (a "bad port" of the Fetch standard, which Node's fetch and every browser follow), so comfyrelay could not reach a ComfyUI there; use another port, such as 8188`,
  },
  {
    id: 'server-auth-neither-basic-nor-bearer',
    files: json({ servers: [{ url: 'http://gpu:8188', auth: { user: 'ops', pass: 'x' } }] }),
    says: `${inJson} has 1 problem:
  servers[0].auth: expected { "username": …, "password": … } or { "token": … }, got keys and values`,
  },
  {
    id: 'bad-numbers-from-the-environment',
    files: {},
    env: {
      COMFYRELAY_MAX_QUEUED: 'lots',
      COMFYRELAY_SHUTDOWN_SECONDS: '-1',
      COMFYRELAY_CONSOLE_PORT: '99999',
      COMFYRELAY_RETENTION_DAYS: 'forever',
    },
    says: `${noFile} has 4 problems:
  retentionDays (from COMFYRELAY_RETENTION_DAYS): expected a number, got 'forever'
  limits.globalQueued (from COMFYRELAY_MAX_QUEUED): expected a number, got 'lots'
  shutdownSeconds (from COMFYRELAY_SHUTDOWN_SECONDS): must be at least 0, got -1
  console.port (from COMFYRELAY_CONSOLE_PORT): must be at most 65535, got 99999`,
  },
  {
    id: 'bad-url-from-the-environment',
    files: {},
    env: { COMFYUI_URL: 'htp:/oops' },
    says: `${noFile} has 1 problem:
  servers[0].url (from COMFYUI_URL): expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'htp:/oops'`,
  },
  {
    id: 'console-token-too-short-in-the-file',
    files: yaml('console:\n  accessToken: hunter2\n'),
    says: `${inYaml} has 1 problem:
  console.accessToken: expected at least 16 characters (use a long random token)`,
  },
  {
    id: 'console-token-too-short-from-the-environment',
    files: {},
    env: { COMFYRELAY_CONSOLE_TOKEN: 'hunter2' },
    says: `${noFile} has 1 problem:
  console.accessToken (from COMFYRELAY_CONSOLE_TOKEN): expected at least 16 characters (use a long random token)`,
  },
  {
    id: 'console-port-browsers-refuse',
    files: json({ console: { port: 6000 } }),
    says: `${inJson} has 1 problem:
  console.port: port 6000 is one that web clients refuse to connect to (a "bad port" of the Fetch standard, which Node's fetch and every browser follow), so a browser could not open the console (nor dashboards its event stream) there; use another port, such as 8190`,
  },
  {
    id: 'wrong-types',
    files: json({
      servers: 'http://gpu:8188',
      limits: { perUserPerMinute: '5', perServer: 1.5 },
      logging: [],
      retentionDays: 0,
    }),
    says: `${inJson} has 5 problems:
  servers: expected a list, got 'http://gpu:8188'
  retentionDays: must be more than 0, got 0
  limits.perUserPerMinute: expected a number, got '5'
  limits.perServer: expected a whole number, got 1.5
  logging: expected keys and values (an object), got a list`,
  },
  {
    id: 'log-level-and-format',
    files: yaml('logging:\n  level: verbose\n  format: text\n'),
    says: `${inYaml} has 2 problems:
  logging.level: expected "debug", "info", "warn", "error", "silent", got 'verbose'
  logging.format: expected "auto", "json", "pretty", got 'text'`,
  },
  {
    id: 'workflow-folder-not-there',
    files: json({ workflowsDir: './workflows' }),
    says: `${inJson} has 1 problem:
  workflowsDir: {dir}/workflows does not exist`,
  },
  {
    id: 'named-file-not-there',
    files: {},
    file: 'nosuch.yaml',
    says: `{dir}/nosuch.yaml and the environment has 1 problem:
  {dir}/nosuch.yaml: there is no such file`,
  },
  {
    id: 'file-named-by-the-environment-not-there',
    files: {},
    env: { COMFYRELAY_CONFIG: 'prod.json' },
    says: `{dir}/prod.json and the environment has 1 problem:
  {dir}/prod.json: there is no such file (COMFYRELAY_CONFIG names it)`,
  },
  {
    id: 'named-file-is-a-folder',
    files: { 'conf.json/keep': '' },
    file: 'conf.json',
    says: `{dir}/conf.json and the environment has 1 problem:
  {dir}/conf.json: it is a folder, not a file`,
  },
  {
    id: 'discord-bad-values-from-the-environment',
    files: {},
    env: {
      DISCORD_TOKEN: 'not-a-bot-token-but-secret',
      DISCORD_APPLICATION_ID: 'abc',
      DISCORD_GUILD_IDS: '111111111111111111,general',
      DISCORD_PREVIEWS: 'sometimes',
    },
    says: `${noFile} has 4 problems:
  discord.token (from DISCORD_TOKEN): is not a bot token (three parts separated by dots, as the Developer Portal shows it)
  discord.applicationId (from DISCORD_APPLICATION_ID): must be the application id from the Developer Portal (17 to 20 digits), got 'abc'
  discord.guildIds[1] (from DISCORD_GUILD_IDS): must be a server (guild) id (17 to 20 digits), got 'general'
  discord.previews (from DISCORD_PREVIEWS): expected true or false, got 'sometimes'`,
  },
  {
    id: 'discord-token-without-application-id',
    files: {},
    env: { DISCORD_TOKEN: 'MTIz.discord-token.Xy7Qp3Lm9Kd2' },
    says: `${noFile} has 1 problem:
  discord.applicationId: is not set (DISCORD_APPLICATION_ID); copy the application id from General Information in the Discord Developer Portal`,
  },
  {
    id: 'discord-ids-as-bare-numbers-in-yaml',
    files: yaml(
      'discord:\n  token: MTIz.discord-token.Xy7Qp3Lm9Kd2\n  applicationId: 123456789012345678\n  adminUsers: [222222222222222222]\n  guildID: "111111111111111111"\n',
    ),
    says: `${inYaml} has 3 problems:
  discord.applicationId: write the application id from the Developer Portal in quotes, such as "123456789012345678": as a bare number it loses its last digits, got 123456789012345680
  discord.adminUsers[0]: write a user id in quotes, such as "123456789012345678": as a bare number it loses its last digits, got 222222222222222200
  discord.guildID: unknown key; did you mean guildIds?`,
  },
  {
    id: 'discord-per-bot-limit-of-earlier-builds',
    files: {},
    env: {
      DISCORD_TOKEN: 'MTIz.discord-token.Xy7Qp3Lm9Kd2',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_MAX_JOBS_PER_USER: '2',
    },
    says: `${noFile} has 1 problem:
  discord.maxJobsPerUser (from DISCORD_MAX_JOBS_PER_USER): is no longer read: limits are the same for every frontend now; set limits.perUserConcurrent (COMFYRELAY_MAX_JOBS_PER_USER) instead, got '2'`,
  },
  {
    id: 'telegram-bad-values-in-the-file',
    files: json({
      telegram: {
        token: 'bot-token-without-the-number',
        allowedChats: ['@renders'],
        maxPhotoSize: '10 megs',
        webhook: { url: 'bot.example.org/hook', port: 99999 },
      },
    }),
    says: `${inJson} has 5 problems:
  telegram.token: does not look like a bot token (digits, a colon, then letters, digits, - or _)
  telegram.allowedChats[0]: expected a chat id (a whole number such as -1001234567890), got '@renders'
  telegram.maxPhotoSize: expected a size such as 50MB (or a number of bytes), got '10 megs'
  telegram.webhook.url: expected a webhook URL (http:// or https://), such as https://bot.example.org/telegram, got 'bot.example.org/hook'
  telegram.webhook.port: expected a port from 0 to 65535, got 99999`,
  },
  {
    id: 'telegram-webhook-secret-without-its-url',
    files: {},
    env: {
      TELEGRAM_BOT_TOKEN: '123456789:telegram-token-AAHdqTcvCH1vGWJx',
      TELEGRAM_WEBHOOK_SECRET: 'has spaces, secret',
    },
    says: `${noFile} has 2 problems:
  telegram.webhook.url: is not set (TELEGRAM_WEBHOOK_URL); set it for webhook mode, or leave the other webhook keys unset for long polling
  telegram.webhook.secret (from TELEGRAM_WEBHOOK_SECRET): must be 1 to 256 characters: letters, digits, - and _`,
  },
  {
    id: 'both-bots-misspelt',
    files: yaml('discrod:\n  token: x\ntelegram:\n  tokn: x\n'),
    says: `${inYaml} has 3 problems:
  discrod: unknown key; did you mean discord?
  telegram.token: is not set (TELEGRAM_BOT_TOKEN); give the token @BotFather made for your bot
  telegram.tokn: unknown key; did you mean token?`,
  },
];
