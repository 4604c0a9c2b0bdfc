import { ComfyHttpError, ComfyUnreachableError, PromptIdIgnoredError } from '../errors.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { FileRef } from '../protocol/messages.js';
import type {
  HistoryEntry,
  HistoryResponse,
  NodeClassInfo,
  ObjectInfo,
  PromptErrorBody,
  QueueResponse,
  SubmitPromptResponse,
  SystemStats,
  UploadResult,
} from '../protocol/rest.js';
import { PromptValidationError } from './PromptValidationError.js';

export interface ComfyHttpClientOptions {
  /** Base URL of the ComfyUI server, e.g. `http://127.0.0.1:8188`. */
  baseUrl: string;
  /** Timeout of every call, in ms (default 10 s). */
  timeoutMs?: number;
  /** Timeout of a file download or upload, in ms (default 120 s). */
  transferTimeoutMs?: number;
  /** Sent with every request (a server behind auth: `authorization`). */
  headers?: Readonly<Record<string, string>>;
}

export interface SubmitPromptRequest {
  prompt: ApiWorkflow;
  clientId: string;
  promptId: string;
  front?: boolean;
  extraData?: Record<string, unknown>;
}

/**
 * Every ComfyUI HTTP call a bot needs. Each call has a timeout (the body included); errors are
 * typed: {@link ComfyUnreachableError} when no answer came in time or the connection broke
 * (even mid-body), {@link ComfyHttpError} for an unexpected status or an answer that cannot be
 * read (not JSON, or not the shape ComfyUI sends), {@link PromptValidationError} for a refused
 * workflow. No `SyntaxError` or `TypeError` from a bad answer reaches a caller.
 */
export class ComfyHttpClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly transferTimeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: ComfyHttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.transferTimeoutMs = options.transferTimeoutMs ?? 120_000;
    this.headers = { ...options.headers };
  }

  /** Queue a workflow. A 400 becomes a {@link PromptValidationError} that names the node, the input and the reason. */
  async submitPrompt(request: SubmitPromptRequest): Promise<SubmitPromptResponse> {
    const body = {
      prompt: request.prompt,
      client_id: request.clientId,
      prompt_id: request.promptId,
      ...(request.front ? { front: true } : {}),
      ...(request.extraData ? { extra_data: request.extraData } : {}),
    };
    const route = 'POST /prompt';
    return this.exchange('POST', '/prompt', { json: body }, { accept: [400] }, async (response) => {
      if (response.status === 400) {
        const text = await readText(response, route);
        throw new PromptValidationError(parseErrorBody(text));
      }
      return readJson(response, route, (value) => {
        if (!isRecord(value)) return `expected an object, got ${kindOf(value)}`;
        const promptId = value['prompt_id'];
        if (typeof promptId !== 'string' || promptId.length === 0) {
          // A refusal sent with the wrong status is still a refusal.
          if (isRecord(value['error']) || isRecord(value['node_errors']))
            throw new PromptValidationError(errorBodyOf(value, ''));
          return 'it names no prompt_id';
        }
        if (promptId !== request.promptId)
          // ComfyUI before 0.3.45 ignores the id it is given: its messages would never be ours.
          throw new PromptIdIgnoredError(promptId);
        const number = value['number'];
        const nodeErrors = value['node_errors'];
        return {
          prompt_id: promptId,
          number: typeof number === 'number' ? number : -1,
          node_errors: isRecord(nodeErrors)
            ? (nodeErrors as SubmitPromptResponse['node_errors'])
            : {},
        };
      });
    });
  }

  async getQueue(): Promise<QueueResponse> {
    return this.getJson('/queue', (value) => queueProblem(value) ?? (value as QueueResponse));
  }

  /** Remove pending prompts (running ones are not affected: interrupt those). */
  async deleteFromQueue(promptIds: string[]): Promise<void> {
    await this.exchange('POST', '/queue', { json: { delete: promptIds } }, {}, drain);
  }

  /** Interrupt `promptId` if it is the one running. Never interrupts someone else's work. */
  async interrupt(promptId: string): Promise<void> {
    await this.exchange('POST', '/interrupt', { json: { prompt_id: promptId } }, {}, drain);
  }

  /**
   * The history entry of a prompt, or undefined while it is pending, running or unknown. An
   * entry that is there but is not an object comes back as an empty entry: it says the prompt
   * ended, not how (see `TrackedPrompt.settleFrom`).
   */
  async getHistoryEntry(promptId: string): Promise<HistoryEntry | undefined> {
    const history = await this.getJson(`/history/${encodeURIComponent(promptId)}`, readHistory);
    return Object.hasOwn(history, promptId) ? history[promptId] : undefined;
  }

  async getHistory(maxItems?: number): Promise<HistoryResponse> {
    return this.getJson(maxItems ? `/history?max_items=${maxItems}` : '/history', readHistory);
  }

  async getQueueRemaining(): Promise<number> {
    return this.getJson('/prompt', (value) => {
      const info = isRecord(value) ? value['exec_info'] : undefined;
      const remaining = isRecord(info) ? info['queue_remaining'] : undefined;
      return typeof remaining === 'number' && Number.isFinite(remaining) && remaining >= 0
        ? remaining
        : 'it has no exec_info.queue_remaining number';
    });
  }

  /** Download a file as a stream (a connection cut mid-file errors it with a {@link ComfyUnreachableError}). */
  async view(file: FileRef): Promise<ReadableStream<Uint8Array>> {
    const response = await this.request(
      'GET',
      `/view?${viewQuery(file)}`,
      {},
      { timeoutMs: this.transferTimeoutMs },
    );
    if (!response.body) throw new ComfyHttpError('/view', response.status, 'empty body');
    return guardStream(response.body, '/view');
  }

  /** Download a file whole. */
  async viewBuffer(file: FileRef): Promise<Buffer> {
    const response = await this.request(
      'GET',
      `/view?${viewQuery(file)}`,
      {},
      { timeoutMs: this.transferTimeoutMs },
    );
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw unreachable('/view', error);
    }
  }

  /** A file's size from `HEAD /view` without downloading it; undefined when the server does not say. */
  async fileSize(file: FileRef): Promise<number | undefined> {
    const response = await this.request('HEAD', `/view?${viewQuery(file)}`);
    const header = response.headers.get('content-length');
    const length = header === null || header.trim() === '' ? NaN : Number(header);
    return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  }

  async uploadImage(
    data: Uint8Array,
    filename: string,
    options: { subfolder?: string; overwrite?: boolean; type?: 'input' | 'temp' } = {},
  ): Promise<UploadResult> {
    const form = new FormData();
    form.append('image', new Blob([data]), filename);
    form.append('type', options.type ?? 'input');
    if (options.subfolder) form.append('subfolder', options.subfolder);
    if (options.overwrite) form.append('overwrite', 'true');
    return this.exchange(
      'POST',
      '/upload/image',
      { form },
      { timeoutMs: this.transferTimeoutMs },
      (response) =>
        readJson(response, 'POST /upload/image', (value) => {
          if (!isRecord(value)) return `expected an object, got ${kindOf(value)}`;
          const { name, subfolder, type } = value;
          if (typeof name !== 'string' || name.length === 0) return 'it names no uploaded file';
          return {
            name,
            subfolder: typeof subfolder === 'string' ? subfolder : '',
            type: typeof type === 'string' ? type : (options.type ?? 'input'),
          };
        }),
    );
  }

  /**
   * The node catalogue. Classes described by something other than an object are left out; an
   * input group or spec that is not what ComfyUI writes is dropped from its class.
   */
  async getObjectInfo(classType?: string): Promise<ObjectInfo> {
    return this.getJson(
      classType ? `/object_info/${encodeURIComponent(classType)}` : '/object_info',
      readObjectInfo,
    );
  }

  async getSystemStats(): Promise<SystemStats> {
    return this.getJson('/system_stats', (value) =>
      isRecord(value) && isRecord(value['system']) && Array.isArray(value['devices'])
        ? (value as unknown as SystemStats)
        : 'expected {system, devices}',
    );
  }

  async getFeatures(): Promise<Record<string, unknown>> {
    return this.getJson('/features', (value) =>
      isRecord(value) ? value : `expected an object, got ${kindOf(value)}`,
    );
  }

  private async getJson<T extends object | number>(
    route: string,
    read: (value: unknown) => T | string,
  ): Promise<T> {
    return this.exchange('GET', route, {}, {}, (response) =>
      readJson(response, `GET ${routeName(route)}`, read),
    );
  }

  /**
   * A call whose answer `read` reads whole: bounded by the timeout from the request to the end
   * of the body, like every call, by a timer that goes as soon as the answer is read. (An
   * `AbortSignal.timeout` stays armed, and in memory, for its whole time after every call: ten
   * seconds of a thousand timers for a thousand submissions.)
   */
  private async exchange<T>(
    method: 'GET' | 'HEAD' | 'POST',
    route: string,
    payload: { json?: unknown; form?: FormData },
    options: { accept?: number[]; timeoutMs?: number },
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(abortForTimeout, options.timeoutMs ?? this.timeoutMs, controller);
    timer.unref();
    try {
      const response = await this.request(method, route, payload, options, controller.signal);
      return await read(response);
    } finally {
      clearTimeout(timer);
    }
  }

  private async request(
    method: 'GET' | 'HEAD' | 'POST',
    route: string,
    payload: { json?: unknown; form?: FormData } = {},
    options: { accept?: number[]; timeoutMs?: number } = {},
    signal?: AbortSignal,
  ): Promise<Response> {
    const init: RequestInit = {
      method,
      signal: signal ?? AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
    };
    init.headers = { ...this.headers };
    if (payload.json !== undefined) {
      init.body = JSON.stringify(payload.json);
      init.headers['content-type'] = 'application/json';
    } else if (payload.form) {
      init.body = payload.form;
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, init);
    } catch (error) {
      throw unreachable(routeName(route), error);
    }
    if (!response.ok && !options.accept?.includes(response.status)) {
      const text = await response.text().catch(() => '');
      throw new ComfyHttpError(`${method} ${routeName(route)}`, response.status, text);
    }
    return response;
  }
}

/**
 * What is wrong with a `/queue` answer, in words; undefined when it is what ComfyUI sends:
 * `{queue_running, queue_pending}`, lists of items `[number, prompt_id, …]`. A queue with one
 * unreadable item is unreadable whole: a prompt left out would look as if it had vanished.
 */
export function queueProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return `expected {queue_running, queue_pending}, got ${kindOf(value)}`;
  for (const key of ['queue_running', 'queue_pending'] as const) {
    const items = value[key];
    if (!Array.isArray(items)) return `its ${key} is not a list`;
    for (const item of items)
      if (
        !Array.isArray(item) ||
        typeof item[0] !== 'number' ||
        !Number.isFinite(item[0]) ||
        typeof item[1] !== 'string' ||
        item[1].length === 0
      )
        return `its ${key} holds an item that is not [number, prompt_id, …]`;
  }
  return undefined;
}

function readHistory(value: unknown): HistoryResponse | string {
  if (!isRecord(value)) return `expected an object of history entries, got ${kindOf(value)}`;
  let copy: Record<string, unknown> | undefined;
  for (const promptId of Object.keys(value)) {
    if (isRecord(value[promptId])) continue;
    copy ??= { ...value };
    copy[promptId] = {};
  }
  return (copy ?? value) as HistoryResponse;
}

function readObjectInfo(value: unknown): ObjectInfo | string {
  if (!isRecord(value)) return `expected an object of node classes, got ${kindOf(value)}`;
  const info: ObjectInfo = {};
  for (const classType of Object.keys(value)) {
    const node = readNodeClass(value[classType], classType);
    if (node) info[classType] = node;
  }
  return info;
}

function readNodeClass(value: unknown, classType: string): NodeClassInfo | undefined {
  if (!isRecord(value)) return undefined;
  const input = isRecord(value['input']) ? value['input'] : {};
  let readInput: Record<string, unknown> = input;
  for (const group of ['required', 'optional'] as const) {
    const specs = input[group];
    if (specs === undefined) continue;
    const kept = isRecord(specs) ? onlyLists(specs) : undefined;
    if (kept === specs) continue;
    readInput = readInput === input ? { ...input } : readInput;
    if (kept) readInput[group] = kept;
    else delete readInput[group];
  }
  if (input['hidden'] !== undefined && !isRecord(input['hidden'])) {
    readInput = readInput === input ? { ...input } : readInput;
    delete readInput['hidden'];
  }
  const output = value['output'];
  if (readInput === value['input'] && Array.isArray(output))
    return value as unknown as NodeClassInfo;
  return {
    ...value,
    input: readInput,
    output: Array.isArray(output) ? output : [],
    name: typeof value['name'] === 'string' ? value['name'] : classType,
  } as NodeClassInfo;
}

/** The input specs that are lists (`[type, options?]`); the same object when all are. */
function onlyLists(specs: Record<string, unknown>): Record<string, unknown> {
  let kept: Record<string, unknown> | undefined;
  for (const name of Object.keys(specs)) {
    if (Array.isArray(specs[name])) continue;
    kept ??= { ...specs };
    delete kept[name];
  }
  return kept ?? specs;
}

/** A file download whose connection breaks errors with a typed error, not undici's TypeError. */
function guardStream(body: ReadableStream<Uint8Array>, route: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(unreachable(route, error));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function viewQuery(file: FileRef): URLSearchParams {
  return new URLSearchParams({
    filename: file.filename,
    subfolder: file.subfolder,
    type: file.type,
  });
}

/** What `AbortSignal.timeout` aborts with: a call past its time is a timeout (see `unreachable`). */
function abortForTimeout(controller: AbortController): void {
  controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
}

/** A call that got no (whole) answer: in time, or at all. */
function unreachable(route: string, error: unknown, answered = false): ComfyUnreachableError {
  const timedOut =
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return new ComfyUnreachableError(route, timedOut ? 'timeout' : 'network', {
    cause: error,
    answered,
    neverSent: !answered && CONNECT_FAILURES.has(codeOf(error) ?? ''),
  });
}

/** Failures to connect at all: a request that met one of these never reached the server. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code behind a fetch failure (undici nests it in `cause`). */
function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** The whole body as text; a body cut short or too slow is a {@link ComfyUnreachableError}. */
async function readText(response: Response, route: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw unreachable(route.replace(/^[A-Z]+ /, ''), error, true);
  }
}

/** The body read as JSON and checked by `read` (which returns the value, or what is wrong with it). */
async function readJson<T>(
  response: Response,
  route: string,
  read: (value: unknown) => T | string,
): Promise<T> {
  const text = await readText(response, route);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const type = response.headers.get('content-type');
    const what = text.trim() === '' ? 'it is empty' : `it is not JSON: ${quote(text)}`;
    throw unreadableAnswer(
      route,
      response.status,
      text,
      type ? `${what} (${clip(type, 60)})` : what,
    );
  }
  const result = read(value);
  if (typeof result === 'string') throw unreadableAnswer(route, response.status, text, result);
  return result;
}

/** A {@link ComfyHttpError} for an answer that came whole but cannot be read, saying why. */
function unreadableAnswer(
  route: string,
  status: number,
  body: string,
  why: string,
): ComfyHttpError {
  return answerError(route, status, body, `ComfyUI's answer to ${route} could not be read: ${why}`);
}

/** A {@link ComfyHttpError} whose message says, in words, what is wrong with an answer. */
function answerError(route: string, status: number, body: string, message: string): ComfyHttpError {
  const error = new ComfyHttpError(route, status, clip(body, 200));
  error.message = message;
  return error;
}

function parseErrorBody(text: string): PromptErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text is the reason
  }
  return errorBodyOf(parsed, text);
}

/** A refusal's body as {@link PromptValidationError} reads it, whatever was sent. */
function errorBodyOf(parsed: unknown, text: string): PromptErrorBody {
  if (isRecord(parsed) && (isRecord(parsed['error']) || isRecord(parsed['node_errors']))) {
    const error = parsed['error'];
    return {
      error: isRecord(error)
        ? (error as unknown as PromptErrorBody['error'])
        : { type: 'invalid_prompt', message: 'Invalid prompt', details: '' },
      node_errors: isRecord(parsed['node_errors'])
        ? (parsed['node_errors'] as PromptErrorBody['node_errors'])
        : {},
    };
  }
  const said = isRecord(parsed) && typeof parsed['error'] === 'string' ? parsed['error'] : text;
  const message = clip(said.trim(), 300) || 'Invalid prompt';
  return { error: { type: 'invalid_prompt', message, details: '' }, node_errors: {} };
}

function routeName(route: string): string {
  return route.split('?')[0] ?? route;
}

async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(clip(text.trim().replace(/[\u0000-\u001f]+/g, ' '), 60));
}
