export const MAIN_USAGE = `Usage: comfyrelay <command> [options]

Commands:
  workflows [<id>]      list the workflows the plugins offer, with their parameters
  generate <id>         run one of them (-p NAME=VALUE …), N at once, and save the outputs
  run <workflow.json>   run an API-format workflow, N generations at once, and save the outputs
  status                show a ComfyUI server's health and queue
  start                 run the comfyrelay platform: the relay, its store, the console in a browser
                        and every chat bot configured (Discord, Telegram)
  discord               run the platform with the Discord bot alone
  telegram              run the platform with the Telegram bot alone
  config check [<file>] check the configuration "start" would use, or show it (secrets masked)
  sim                   run the ComfyUI simulator in the foreground
  workflow check <file> check an exported workflow: parameters found, outputs, problems

Options:
  -h, --help            show help (also: comfyrelay <command> --help)
  -v, --version         show the version

Environment (a value that does not parse is refused, never ignored):
  COMFYUI_URL              ComfyUI server(s), comma-separated (default for --comfy); unset it,
                           not empty, to run on a simulator
  COMFYRELAY_CONFIG        the config file of "start" (default: comfyrelay.config.json, .yaml
                           or .yml in this directory); "comfyrelay config --help" lists every
                           setting of "start" and its variable
  COMFYRELAY_WORKFLOWS_DIR your folder of exported workflows (default for --workflows)
  COMFYRELAY_LOG_LEVEL     debug | info | warn | error | silent
  COMFYRELAY_MAX_UPLOAD_MB largest picture file to upload (default 100, as ComfyUI)
  DISCORD_TOKEN            with DISCORD_APPLICATION_ID: "start" runs the Discord bot
  TELEGRAM_BOT_TOKEN       "start" runs the Telegram bot

Relative paths are read from the directory you are in (under "pnpm comfyrelay", the one you
typed it in).
`;

export const WORKFLOWS_USAGE = `Usage: comfyrelay workflows [<workflow-id>] [options]

Lists every workflow the plugins offer (plugin-image, plugin-video and your own exported
workflows from --workflows DIR, as custom.<name>): id, title, description, parameters with
their type, default, range and choices, outputs and follow-up actions. With an id, shows
that one in detail, like the --help of a command.

Options:
      --comfy URL       read the choices that come from ComfyUI (models, samplers …) from
                        this server (default: COMFYUI_URL; none: show where they come from)
      --workflows DIR   also load the exported workflows in DIR (default: COMFYRELAY_WORKFLOWS_DIR)
      --json            one JSON object on stdout
  -h, --help            show this help

Exit status: 0, or 2 for usage errors and an unknown workflow id.
`;

export const GENERATE_USAGE = `Usage: comfyrelay generate <workflow-id> [options]

Runs a workflow a plugin offers (comfyrelay workflows lists them) N times at once over one
connection, and saves every output. Parameters are checked against the workflow's rules
before anything is sent to ComfyUI.

Options:
  -p, --param NAME=VALUE   set a parameter, e.g. -p prompt="a red fox" -p steps=30 (repeatable);
                           numbers and true/false are parsed by the parameter's type
      --image NAME=PATH    a picture file for an image parameter (uploaded to ComfyUI);
                           -p NAME=PATH works too, -p NAME=FILE names one ComfyUI already has
  -n, --count N            generations to run (default 1); each gets its own random seed
                           unless -p seed=… is given
  -a, --action ID          then run this follow-up (reroll, upscale, animate …) on every
                           result and save its outputs too (repeatable)
      --comfy URL          ComfyUI server (default: COMFYUI_URL, else a simulator started for this run)
      --wait SECONDS       wait this long for a ComfyUI that refuses connections (starting up)
                           before giving up (default 30; 0 = not at all)
  -o, --out DIR            where to save outputs (default ./outputs)
      --workflows DIR      also load the exported workflows in DIR (default: COMFYRELAY_WORKFLOWS_DIR)
      --json               one JSON object per line on stdout (logs stay on stderr)
  -h, --help               show this help

Exit status: 0 when every generation succeeded, 1 when any failed, 2 for usage errors,
an unknown workflow or action, and parameters the workflow refuses (nothing is sent then);
130 Ctrl-C, 143 SIGTERM, 141 stdout closed (what was in flight is cancelled first).
`;

export const RUN_USAGE = `Usage: comfyrelay run <workflow.json> [options]

Runs an API-format workflow (ComfyUI "Export (API)"; a {"prompt": {...}} wrapper is fine)
N times at once over one connection, and saves every output file.

Options:
  -s, --set NODE.INPUT=VALUE  set an input, e.g. --set 3.steps=30 --set 6.text="a red fox";
                              the value is read by the input's type; an unknown node or input
                              is refused with the closest names
      --image NODE=PATH       a picture file for a LoadImage node, uploaded to ComfyUI
                              (--set NODE.image=PATH naming a file here does the same)
      --force                 let --set replace an input's link to another node (said on stderr)
  -n, --count N               generations to run (default 1); with N > 1 every seed/noise_seed
                              input not given with --set gets a fresh random value per generation
      --comfy URL             ComfyUI server (default: COMFYUI_URL, else a simulator started for this run)
      --wait SECONDS          wait this long for a ComfyUI that refuses connections (starting up)
                              before giving up (default 30; 0 = not at all)
  -o, --out DIR               where to save outputs (default ./outputs)
      --json                  one JSON object per line on stdout (logs stay on stderr)
  -h, --help                  show this help

The workflow is checked before anything is sent, as "comfyrelay workflow check" would (links,
outputs, node classes, limits), against the server's node classes (or the simulator's).

Exit status: 0 when every generation succeeded, 1 when any failed or ComfyUI could not be
reached, 2 for usage errors and refused input (nothing is sent then); 130 Ctrl-C, 143 SIGTERM,
141 stdout closed (what was in flight is cancelled first).
`;

export const STATUS_USAGE = `Usage: comfyrelay status [options]

Shows whether ComfyUI answers, its version and devices, and its queue.

Options:
      --comfy URL   ComfyUI server (default: COMFYUI_URL, else http://127.0.0.1:8188)
      --json        one JSON object per server on stdout
  -h, --help        show this help

Exit status: 0 when every server answered, 1 otherwise.
`;

export const START_USAGE = `Usage: comfyrelay start [options]

Runs the comfyrelay platform until Ctrl-C or SIGTERM: the relay on your ComfyUI servers (a
built-in simulator when none is configured) with every workflow the plugins offer, the
generations kept in the data directory, the console (a web page, its API, /metrics, /healthz,
/readyz and the event stream for dashboards) and every chat bot that is configured: Discord
with DISCORD_TOKEN and DISCORD_APPLICATION_ID (or "discord" in the config file), Telegram with
TELEGRAM_BOT_TOKEN (or "telegram"), all on the one relay. Settings come from the config file
and the environment ("comfyrelay config check" shows them); these options win over both.

Options:
      --config FILE      the config file (default: COMFYRELAY_CONFIG, else comfyrelay.config.json,
                         .yaml or .yml in this directory, if there is one)
      --comfy URLS       ComfyUI server(s), comma-separated (default: "servers" in the config,
                         COMFYUI_URL; none at all: the built-in simulator)
      --port N           the console's port (default: "console.port", COMFYRELAY_CONSOLE_PORT,
                         else 8190; 0 = any free port)
      --data-dir DIR     where generations are kept (default: "dataDir", COMFYRELAY_DATA_DIR,
                         else ./data)
      --workflows DIR    also offer the exported workflows in DIR (default: "workflowsDir",
                         COMFYRELAY_WORKFLOWS_DIR); a file that does not load is reported and skipped
  -h, --help             show this help

On Ctrl-C or SIGTERM it takes no new work, lets what runs on ComfyUI finish (up to
"shutdownSeconds", COMFYRELAY_SHUTDOWN_SECONDS, default 30) and keeps the rest for the next
start, then exits 0; a second Ctrl-C stops at once.

Exit status: 0 after a graceful stop, 2 for a configuration with problems (every one is said;
nothing is started), 1 when something cannot start (the console's port is in use …).
`;

const DISCORD_KEYS = `  discord.token      DISCORD_TOKEN (the bot token; never printed)
  discord.applicationId
                     DISCORD_APPLICATION_ID (17 to 20 digits; in quotes in a file)
  discord.guildIds   DISCORD_GUILD_IDS (servers to register the commands in; default: global)
  discord.apiUrl     DISCORD_API_URL (default: Discord's own)
  discord.allowedChannels, .allowedRoles, .adminRoles, .adminUsers
                     DISCORD_ALLOWED_CHANNELS, _ALLOWED_ROLES, _ADMIN_ROLES, _ADMIN_USERS (ids)
  discord.buttonsForRequesterOnly, .previews, .maxPictureMb
                     DISCORD_BUTTONS_FOR_REQUESTER_ONLY, _PREVIEWS (default true),
                     _MAX_PICTURE_MB (default 20)
`;

const TELEGRAM_KEYS = `  telegram.token     TELEGRAM_BOT_TOKEN (from @BotFather; never printed)
  telegram.apiRoot   TELEGRAM_API_ROOT (default: https://api.telegram.org)
  telegram.allowedChats, .adminUsers
                     TELEGRAM_ALLOWED_CHATS, TELEGRAM_ADMIN_USERS (ids)
  telegram.buttonSecret, .maxPhotoSize, .maxUploadSize
                     TELEGRAM_BUTTON_SECRET, _MAX_PHOTO_SIZE (10MB), _MAX_UPLOAD_SIZE (50MB)
  telegram.webhook.url, .secret, .host, .port
                     TELEGRAM_WEBHOOK_URL (unset: long polling), _SECRET, _HOST, _PORT
`;

const botUsage = (
  name: string,
  label: string,
  variable: string,
  keys: string,
) => `Usage: comfyrelay ${name} [options]

Runs the platform with the ${label} bot alone until Ctrl-C or SIGTERM: the same configuration
as "comfyrelay start" (config file, environment, options), the same data directory (one process
at a time), the built-in simulator when no ComfyUI server is configured; no console, no other
bot. Refused in one line when ${variable} is not set (nor "${name}" in the config file).

Options:
      --config FILE      the config file (default: COMFYRELAY_CONFIG, else comfyrelay.config.json,
                         .yaml or .yml in this directory, if there is one)
      --comfy URLS       ComfyUI server(s), comma-separated (default: "servers" in the config,
                         COMFYUI_URL; none at all: the built-in simulator)
      --data-dir DIR     where generations are kept (default: "dataDir", COMFYRELAY_DATA_DIR,
                         else ./data)
      --workflows DIR    also offer the exported workflows in DIR (default: "workflowsDir",
                         COMFYRELAY_WORKFLOWS_DIR)
  -h, --help             show this help

The bot's own keys ("comfyrelay config --help" lists them with the others):
${keys}
On Ctrl-C or SIGTERM it takes no new work, lets what runs on ComfyUI finish (up to
"shutdownSeconds", default 30) while the bot shows the results, keeps the rest for the next
start, then exits 0.

Exit status: 0 after a graceful stop, 2 for a configuration with problems or no ${variable},
1 when something cannot start (the token refused, the data directory in use …).
`;

export const DISCORD_USAGE = botUsage('discord', 'Discord', 'DISCORD_TOKEN', DISCORD_KEYS);

export const TELEGRAM_USAGE = botUsage('telegram', 'Telegram', 'TELEGRAM_BOT_TOKEN', TELEGRAM_KEYS);

export const CONFIG_USAGE = `Usage: comfyrelay config check [<file>] [--json]

Checks the configuration "comfyrelay start" would run with: <file> (default: COMFYRELAY_CONFIG,
else comfyrelay.config.json, .yaml or .yml in this directory; none at all is fine), with the
environment over it. Prints where it came from, then every problem (exit 2), or the effective
configuration as JSON with every secret masked (exit 0).

Options:
      --json        one JSON object on stdout: {"source","ok","config"} or {"source","ok","problems"}
  -h, --help        show this help

The keys, and the environment variables that win over the file:
  servers            COMFYUI_URL (comma-separated URLs; http://user:pass@host is basic auth)
  dataDir            COMFYRELAY_DATA_DIR (default ./data)
  retentionDays      COMFYRELAY_RETENTION_DAYS (default 30)
  limits.perUserConcurrent, .perUserPerMinute, .globalQueued, .perServer, .timeoutMinutes,
        .unreachableGraceSeconds, .retryRunningOnUnreachable
                     COMFYRELAY_MAX_JOBS_PER_USER, _MAX_JOBS_PER_MINUTE, _MAX_QUEUED,
                     _JOBS_PER_SERVER, _TIMEOUT_MINUTES, _UNREACHABLE_GRACE_SECONDS,
                     _RETRY_RUNNING_ON_UNREACHABLE (jobs running on a server gone longer than
                     the grace, default 180 s, fail; with the retry they start over elsewhere,
                     once)
  shutdownSeconds    COMFYRELAY_SHUTDOWN_SECONDS (default 30)
  logging.level      COMFYRELAY_LOG_LEVEL (debug, info, warn, error, silent; default info)
  logging.format     COMFYRELAY_LOG_FORMAT (auto, json, pretty; default auto)
  workflowsDir       COMFYRELAY_WORKFLOWS_DIR
  console.port, .host, .accessToken
                     COMFYRELAY_CONSOLE_PORT (default 8190), _HOST (default 127.0.0.1), _TOKEN
${DISCORD_KEYS}${TELEGRAM_KEYS}`;

export const SIM_USAGE = `Usage: comfyrelay sim [options]

Runs the ComfyUI simulator in the foreground until SIGINT/SIGTERM.

Options:
      --port P             port (default 8188; 0 = any free port)
      --host H             host (default 127.0.0.1)
      --step-delay MS      delay per sampler step (default: the simulator's own)
  -h, --help               show this help
`;
