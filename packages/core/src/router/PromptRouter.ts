import type {
  ComfyMessage,
  PreviewImage,
  PromptMessage,
  StatusMessage,
} from '../protocol/messages.js';

/** Whatever owns a prompt: a generation. */
export interface PromptSink {
  handle(message: PromptMessage): void;
  handlePreview(preview: PreviewImage): void;
}

export interface PromptRouterOptions {
  /** How long messages for a not-yet-registered prompt are held (default 30 s). */
  holdMs?: number;
  /** At most this many held messages per unknown prompt (default 256); older ones are dropped. */
  holdLimit?: number;
  /** At most this many released prompts remembered (default 10 000); the oldest are forgotten first. */
  releasedLimit?: number;
  onStatus?: (message: StatusMessage) => void;
}

interface HeldMessages {
  messages: PromptMessage[];
  expiresAt: number;
}

/**
 * Routes every ComfyUI message to the generation that owns its `prompt_id`. Synchronous: it
 * never awaits a consumer, so reading the socket can't be slowed by anyone. Messages for an
 * id nobody registered yet are held briefly (they can arrive before the POST answer); messages
 * with no id (a reconnect's `executing`, event-1 previews) go to the prompt known to be running.
 */
export class PromptRouter<S extends PromptSink = PromptSink> {
  private readonly sinks = new Map<string, S>();
  private readonly held = new Map<string, HeldMessages>();
  /** Prompts we released (finished, failed, cancelled): their late messages are dropped, not held. */
  private readonly released = new Map<string, number>();
  private readonly holdMs: number;
  private readonly holdLimit: number;
  private readonly releasedLimit: number;
  private readonly onStatus: ((message: StatusMessage) => void) | undefined;
  private running: string | undefined;
  private nextSweep = 0;

  constructor(options: PromptRouterOptions = {}) {
    this.holdMs = options.holdMs ?? 30_000;
    this.holdLimit = options.holdLimit ?? 256;
    this.releasedLimit = options.releasedLimit ?? 10_000;
    this.onStatus = options.onStatus;
  }

  /** The prompt ComfyUI is running, as far as this router knows. */
  get runningPromptId(): string | undefined {
    return this.running;
  }

  get size(): number {
    return this.sinks.size;
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Released prompts still remembered (so their late messages are dropped). */
  get releasedCount(): number {
    return this.released.size;
  }

  /** The sink registered for a prompt. */
  get(promptId: string): S | undefined {
    return this.sinks.get(promptId);
  }

  /** Every registered sink. */
  registered(): IterableIterator<S> {
    return this.sinks.values();
  }

  /** Register BEFORE posting the prompt; anything already held for it is replayed now. */
  register(promptId: string, sink: S): void {
    this.sinks.set(promptId, sink);
    this.released.delete(promptId);
    const held = this.held.get(promptId);
    if (held) {
      this.held.delete(promptId);
      for (const message of held.messages) sink.handle(message);
    }
  }

  unregister(promptId: string): void {
    if (!this.sinks.delete(promptId)) return;
    if (this.running === promptId) this.running = undefined;
    const now = Date.now();
    this.released.set(promptId, now + this.holdMs);
    if (this.released.size > this.releasedLimit) {
      const oldest = this.released.keys().next().value;
      if (oldest !== undefined) this.released.delete(oldest);
    }
    if (now >= this.nextSweep) this.sweep(now);
  }

  /** Told by reconciliation which prompt really runs after a reconnect. */
  setRunning(promptId: string | undefined): void {
    this.running = promptId;
  }

  route(message: ComfyMessage): void {
    if (message.type === 'status') {
      this.onStatus?.(message as StatusMessage);
      return;
    }
    const data = (message as PromptMessage).data as
      { prompt_id?: string; node?: string | null } | undefined;
    if (!data || typeof data !== 'object') return;
    let promptId = data.prompt_id;
    switch (message.type) {
      case 'execution_start':
        this.running = promptId;
        break;
      case 'executing':
        if (data.node === null && promptId === this.running) this.running = undefined;
        else if (promptId === undefined) promptId = this.running;
        break;
      case 'progress':
        promptId ??= this.running;
        break;
      case 'execution_success':
      case 'execution_error':
      case 'execution_interrupted':
        break;
      case 'execution_cached':
      case 'progress_state':
      case 'executed':
        break;
      default:
        return; // feature_flags and types this version does not know
    }
    if (promptId === undefined) return;
    const sink = this.sinks.get(promptId);
    if (sink) sink.handle(message as PromptMessage);
    else if (!this.released.has(promptId)) this.hold(promptId, message as PromptMessage);
  }

  routePreview(preview: PreviewImage): void {
    const promptId = preview.promptId ?? this.running;
    if (promptId === undefined) return;
    this.sinks.get(promptId)?.handlePreview(preview);
  }

  private hold(promptId: string, message: PromptMessage): void {
    const now = Date.now();
    if (now >= this.nextSweep) this.sweep(now);
    let held = this.held.get(promptId);
    if (!held) {
      held = { messages: [], expiresAt: now + this.holdMs };
      this.held.set(promptId, held);
    }
    if (held.messages.length >= this.holdLimit) held.messages.shift();
    held.messages.push(message);
  }

  private sweep(now: number): void {
    this.nextSweep = now + Math.min(this.holdMs, 1_000);
    for (const [promptId, held] of this.held) if (held.expiresAt <= now) this.held.delete(promptId);
    // Insertion order is expiry order: stop at the first one still fresh.
    for (const [promptId, expiresAt] of this.released) {
      if (expiresAt > now) break;
      this.released.delete(promptId);
    }
  }
}
