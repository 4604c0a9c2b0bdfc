import { ComfyHttpError, ComfyUnreachableError } from '../errors.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { FileRef } from '../protocol/messages.js';
import type {
  HistoryEntry,
  HistoryResponse,
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
}

export interface SubmitPromptRequest {
  prompt: ApiWorkflow;
  clientId: string;
  promptId: string;
  front?: boolean;
  extraData?: Record<string, unknown>;
}

/** Every ComfyUI HTTP call a bot needs. Each call has a timeout; errors are typed. */
export class ComfyHttpClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly transferTimeoutMs: number;

  constructor(options: ComfyHttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.transferTimeoutMs = options.transferTimeoutMs ?? 120_000;
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
    const response = await this.request('POST', '/prompt', { json: body }, { accept: [400] });
    if (response.status === 400) {
      const text = await response.text();
      throw new PromptValidationError(parseErrorBody(text));
    }
    return (await response.json()) as SubmitPromptResponse;
  }

  async getQueue(): Promise<QueueResponse> {
    return this.getJson<QueueResponse>('/queue');
  }

  /** Remove pending prompts (running ones are not affected: interrupt those). */
  async deleteFromQueue(promptIds: string[]): Promise<void> {
    await this.request('POST', '/queue', { json: { delete: promptIds } }).then(drain);
  }

  /** Interrupt `promptId` if it is the one running. Never interrupts someone else's work. */
  async interrupt(promptId: string): Promise<void> {
    await this.request('POST', '/interrupt', { json: { prompt_id: promptId } }).then(drain);
  }

  /** The history entry of a prompt, or undefined while it is pending, running or unknown. */
  async getHistoryEntry(promptId: string): Promise<HistoryEntry | undefined> {
    const history = await this.getJson<HistoryResponse>(`/history/${encodeURIComponent(promptId)}`);
    return history[promptId];
  }

  async getHistory(maxItems?: number): Promise<HistoryResponse> {
    return this.getJson<HistoryResponse>(maxItems ? `/history?max_items=${maxItems}` : '/history');
  }

  async getQueueRemaining(): Promise<number> {
    const info = await this.getJson<{ exec_info: { queue_remaining: number } }>('/prompt');
    return info.exec_info.queue_remaining;
  }

  /** Download a file as a stream. */
  async view(file: FileRef): Promise<ReadableStream<Uint8Array>> {
    const query = new URLSearchParams({
      filename: file.filename,
      subfolder: file.subfolder,
      type: file.type,
    });
    const response = await this.request(
      'GET',
      `/view?${query}`,
      {},
      { timeoutMs: this.transferTimeoutMs },
    );
    if (!response.body) throw new ComfyHttpError('/view', response.status, 'empty body');
    return response.body;
  }

  /** Download a file whole. */
  async viewBuffer(file: FileRef): Promise<Buffer> {
    const query = new URLSearchParams({
      filename: file.filename,
      subfolder: file.subfolder,
      type: file.type,
    });
    const response = await this.request(
      'GET',
      `/view?${query}`,
      {},
      { timeoutMs: this.transferTimeoutMs },
    );
    return Buffer.from(await response.arrayBuffer());
  }

  /** A file's size from `HEAD /view` without downloading it; undefined when the server does not say. */
  async fileSize(file: FileRef): Promise<number | undefined> {
    const query = new URLSearchParams({
      filename: file.filename,
      subfolder: file.subfolder,
      type: file.type,
    });
    const response = await this.request('HEAD', `/view?${query}`);
    const length = Number(response.headers.get('content-length'));
    return Number.isFinite(length) && length >= 0 ? length : undefined;
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
    const response = await this.request(
      'POST',
      '/upload/image',
      { form },
      { timeoutMs: this.transferTimeoutMs },
    );
    return (await response.json()) as UploadResult;
  }

  async getObjectInfo(classType?: string): Promise<ObjectInfo> {
    return this.getJson<ObjectInfo>(
      classType ? `/object_info/${encodeURIComponent(classType)}` : '/object_info',
    );
  }

  async getSystemStats(): Promise<SystemStats> {
    return this.getJson<SystemStats>('/system_stats');
  }

  async getFeatures(): Promise<Record<string, unknown>> {
    return this.getJson<Record<string, unknown>>('/features');
  }

  private async getJson<T>(route: string): Promise<T> {
    const response = await this.request('GET', route);
    return (await response.json()) as T;
  }

  private async request(
    method: 'GET' | 'HEAD' | 'POST',
    route: string,
    payload: { json?: unknown; form?: FormData } = {},
    options: { accept?: number[]; timeoutMs?: number } = {},
  ): Promise<Response> {
    const init: RequestInit = {
      method,
      signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
    };
    if (payload.json !== undefined) {
      init.body = JSON.stringify(payload.json);
      init.headers = { 'content-type': 'application/json' };
    } else if (payload.form) {
      init.body = payload.form;
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, init);
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ComfyUnreachableError(routeName(route), timedOut ? 'timeout' : 'network', {
        cause: error,
      });
    }
    if (!response.ok && !options.accept?.includes(response.status)) {
      const text = await response.text().catch(() => '');
      throw new ComfyHttpError(`${method} ${routeName(route)}`, response.status, text);
    }
    return response;
  }
}

function routeName(route: string): string {
  return route.split('?')[0] ?? route;
}

async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

function parseErrorBody(text: string): PromptErrorBody {
  try {
    const parsed = JSON.parse(text) as Partial<PromptErrorBody>;
    if (parsed.error) return { error: parsed.error, node_errors: parsed.node_errors ?? {} };
  } catch {
    // fall through: not JSON
  }
  return {
    error: { type: 'invalid_prompt', message: text || 'Invalid prompt', details: '' },
    node_errors: {},
  };
}
