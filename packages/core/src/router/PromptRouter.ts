import type {
  ComfyMessage,
  PreviewImage,
  PromptMessage,
  StatusMessage,
} from '../protocol/messages.js';
import { silentLogger, type Logger } from '../util/Logger.js';
import { OrderedMap } from '../util/OrderedMap.js';

/** Whatever owns a prompt: a generation. */
export interface PromptSink {
  handle(message: PromptMessage): void;
  /**
   * A message already read by {@link readComfyMessage} (the router reads each message once and
   * hands it over as read): a sink that checks what it is given may skip reading it again.
   */
  handleRead?(message: PromptMessage): void;
  handlePreview(preview: PreviewImage): void;
}

export interface PromptRouterOptions {
  /** How long messages for a not-yet-registered prompt are held (default 30 s). */
  holdMs?: number;
  /** At most this many held messages per unknown prompt (default 256); older ones are dropped. */
  holdLimit?: number;
  /**
   * At most this many unknown prompts have messages held (default 1 000); the oldest are
   * forgotten first. ComfyUI sends a prompt's messages only to its owner's socket, so only our
   * own prompts whose POST is still in flight are ever held: this bounds a server gone wrong.
   */
  heldPromptLimit?: number;
  /** At most this many released prompts remembered (default 10 000); the oldest are forgotten first. */
  releasedLimit?: number;
  onStatus?: (message: StatusMessage) => void;
  /** Where a message that could not be read is noted (one debug line each). */
  logger?: Logger;
}

interface HeldMessages {
  messages: PromptMessage[];
  expiresAt: number;
}

/** Node and prompt ids are short ("3", "12:5", a UUID); anything longer is not one. */
const MAX_ID_LENGTH = 1_024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

/** A count (steps, queue length): not negative, and small enough that sums of them stay exact. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER;
}

type Check = readonly [key: string, isReadable: (value: unknown) => boolean];

/** Optional fields nobody needs: dropped (on a copy) when they are not what the type says. */
function withoutUnreadable(
  data: Record<string, unknown>,
  checks: readonly Check[],
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < checks.length; i++) {
    const [key, isReadable] = checks[i]!;
    const value = data[key];
    if (value === undefined || isReadable(value) || !Object.hasOwn(data, key)) continue;
    copy ??= { ...data };
    delete copy[key];
  }
  return copy ?? data;
}

const isString = (value: unknown): boolean => typeof value === 'string';
const isTimestamp = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value);
const isStringList = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

// Built once: these run on every message.
const timestamped: readonly Check[] = [['timestamp', isTimestamp]];
const displayed: readonly Check[] = [['display_node', isString]];
const withSid: readonly Check[] = [['sid', isString]];
const errorExtras: readonly Check[] = [
  ['timestamp', isTimestamp],
  ['traceback', isStringList],
  ['executed', isStringList],
];
const interruptionExtras: readonly Check[] = [
  ['timestamp', isTimestamp],
  ['executed', isStringList],
];
const errorTexts = ['node_id', 'node_type', 'exception_message', 'exception_type'] as const;
const interruptionTexts = ['node_id', 'node_type'] as const;

/** A string field of a terminal message: numbers are spelt out, anything else is unreadable (''). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function rebuilt(type: string, data: Record<string, unknown>): ComfyMessage {
  return { type, data } as unknown as ComfyMessage;
}

/**
 * Reads one parsed `/ws` message: the message itself when it is what PROTOCOL.md says it is
 * (a copy when an optional field had to be dropped), or what is wrong with it, in words.
 *
 * - A message a generation only learns progress from (`execution_start`, `execution_cached`,
 *   `executing` a node, `progress`, `progress_state`, `executed`, `status`) is skipped whole
 *   when a field it is read for is not of its type: progress goes on with the next one. An
 *   optional field nobody reads (a timestamp, `display_node`, `sid`) is dropped instead.
 * - A terminal message (`execution_success` / `_error` / `_interrupted`, `executing` null) is
 *   kept whenever its `prompt_id` can be read: the generation must end. Its other fields are
 *   read as far as they can be (a string that is not one becomes '').
 * - Types this version does not know are passed on as they are (nobody reads their data).
 */
export function readComfyMessage(value: unknown): ComfyMessage | string {
  if (!isRecord(value)) return 'it is not a JSON object';
  const type = value['type'];
  if (typeof type !== 'string') return 'it has no "type"';
  const data = value['data'];
  const known = type.length <= 64 ? readers.get(type) : undefined;
  if (!known) return value as unknown as ComfyMessage;
  if (!isRecord(data)) return `"${type}" has no "data" object`;
  const read = known(data);
  if (typeof read === 'string') return `"${type}" ${read}`;
  return read === data ? (value as unknown as ComfyMessage) : rebuilt(type, read);
}

type Reader = (data: Record<string, unknown>) => Record<string, unknown> | string;

// A map (not an object): one lookup per message, and no inherited name is ever a reader.
const readers = new Map<string, Reader>(
  Object.entries({
    status(data) {
      const status = data['status'];
      const info = isRecord(status) ? status['exec_info'] : undefined;
      if (!isRecord(info) || !isCount(info['queue_remaining']))
        return 'has no readable "status.exec_info.queue_remaining"';
      return withoutUnreadable(data, withSid);
    },
    feature_flags: (data) => data,
    execution_start(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      return withoutUnreadable(data, timestamped);
    },
    execution_cached(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      const nodes = data['nodes'];
      if (!Array.isArray(nodes) || !nodes.every(isId)) return 'has no readable "nodes" list';
      return withoutUnreadable(data, timestamped);
    },
    executing(data) {
      const node = data['node'];
      const promptId = data['prompt_id'];
      if (promptId !== undefined && !isId(promptId)) return 'has an unreadable "prompt_id"';
      // `node: null` ends the prompt; any other node must be one.
      if (node !== null && !isId(node)) return 'has no readable "node"';
      return withoutUnreadable(data, displayed);
    },
    progress(data) {
      const promptId = data['prompt_id'];
      if (promptId !== undefined && !isId(promptId)) return 'has an unreadable "prompt_id"';
      if (!isCount(data['value']) || !isCount(data['max']))
        return 'has no readable "value" and "max" numbers';
      const node = data['node'];
      if (node !== undefined && !isId(node)) return 'has an unreadable "node"';
      return data;
    },
    progress_state(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      const nodes = data['nodes'];
      if (!isRecord(nodes)) return 'has no readable "nodes"';
      for (const key in nodes) {
        const node = nodes[key];
        if (
          !isRecord(node) ||
          !isCount(node['value']) ||
          !isCount(node['max']) ||
          typeof node['state'] !== 'string'
        )
          return `has an unreadable state for node "${key.slice(0, 40)}"`;
      }
      return data;
    },
    executed(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      if (!isId(data['node'])) return 'has no readable "node"';
      const output = data['output'];
      if (output !== null && !isRecord(output)) return 'has an "output" that is not an object';
      return withoutUnreadable(data, displayed);
    },
    execution_success(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      return withoutUnreadable(data, timestamped);
    },
    execution_error(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      return withText(withoutUnreadable(data, errorExtras), errorTexts);
    },
    execution_interrupted(data) {
      if (!isId(data['prompt_id'])) return 'has no readable "prompt_id"';
      return withText(withoutUnreadable(data, interruptionExtras), interruptionTexts);
    },
  } satisfies Record<string, Reader>),
);

/** The named fields as strings (a copy when any was not one). */
function withText(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of keys) {
    if (typeof data[key] === 'string') continue;
    copy ??= { ...data };
    copy[key] = text(data[key]);
  }
  return copy ?? data;
}

/** Hand a message the router has read to a sink, through its read-messages door when it has one. */
function deliver(sink: PromptSink, message: PromptMessage): void {
  if (sink.handleRead) sink.handleRead(message);
  else sink.handle(message);
}

/**
 * Routes every ComfyUI message to the generation that owns its `prompt_id`. Synchronous: it
 * never awaits a consumer, so reading the socket can't be slowed by anyone. Messages for an
 * id nobody registered yet are held briefly (they can arrive before the POST answer); messages
 * with no id (a reconnect's `executing`, event-1 previews) go to the prompt known to be running.
 * A message that cannot be read (see {@link readComfyMessage}) reaches no one.
 */
export class PromptRouter<S extends PromptSink = PromptSink> {
  private readonly sinks = new Map<string, S>();
  private readonly held = new Map<string, HeldMessages>();
  /**
   * Prompts we released (finished, failed, cancelled), each with when it is forgotten: their late
   * messages are dropped, not held. The oldest is forgotten first, on every release once full.
   */
  private readonly released = new OrderedMap<string, number>();
  private readonly holdMs: number;
  private readonly holdLimit: number;
  private readonly heldPromptLimit: number;
  private readonly releasedLimit: number;
  private readonly onStatus: ((message: StatusMessage) => void) | undefined;
  private readonly logger: Logger;
  private running: string | undefined;
  private nextSweep = 0;

  constructor(options: PromptRouterOptions = {}) {
    this.holdMs = options.holdMs ?? 30_000;
    this.holdLimit = options.holdLimit ?? 256;
    this.heldPromptLimit = options.heldPromptLimit ?? 1_000;
    this.releasedLimit = options.releasedLimit ?? 10_000;
    this.onStatus = options.onStatus;
    this.logger = options.logger ?? silentLogger;
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
      for (const message of held.messages) deliver(sink, message);
    }
  }

  unregister(promptId: string): void {
    if (!this.sinks.delete(promptId)) return;
    if (this.running === promptId) this.running = undefined;
    const now = Date.now();
    this.released.set(promptId, now + this.holdMs);
    if (this.released.size > this.releasedLimit) this.released.shift();
    if (now >= this.nextSweep) this.sweep(now);
  }

  /** Told by reconciliation which prompt really runs after a reconnect. */
  setRunning(promptId: string | undefined): void {
    this.running = promptId;
  }

  route(raw: ComfyMessage): void {
    const message = readComfyMessage(raw);
    if (typeof message === 'string') {
      this.logger.debug(`ignored a ComfyUI message that could not be read: ${message}`);
      return;
    }
    this.dispatch(message);
  }

  /**
   * Route a message {@link readComfyMessage} already read (what the connection emits: it reads
   * each frame once), without reading it again. Anything else goes through {@link route}.
   */
  dispatch(message: ComfyMessage): void {
    if (message.type === 'status') {
      this.onStatus?.(message as StatusMessage);
      return;
    }
    let promptId: string | undefined;
    switch (message.type) {
      case 'execution_start':
        promptId = message.data.prompt_id;
        this.running = promptId;
        break;
      case 'executing':
        promptId = message.data.prompt_id;
        if (message.data.node === null) {
          if (promptId === this.running) this.running = undefined;
        } else promptId ??= this.running;
        break;
      case 'progress':
        promptId = message.data.prompt_id ?? this.running;
        break;
      case 'execution_success':
      case 'execution_error':
      case 'execution_interrupted':
      case 'execution_cached':
      case 'progress_state':
      case 'executed':
        promptId = message.data.prompt_id;
        break;
      default:
        return; // feature_flags and types this version does not know
    }
    if (promptId === undefined) return;
    const sink = this.sinks.get(promptId);
    if (sink) deliver(sink, message);
    else if (!this.released.has(promptId)) this.hold(promptId, message);
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
      if (this.held.size >= this.heldPromptLimit) {
        const oldest = this.held.keys().next().value;
        if (oldest !== undefined) this.held.delete(oldest);
      }
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
    for (let expiresAt = this.released.firstValue(); expiresAt !== undefined && expiresAt <= now;) {
      this.released.shift();
      expiresAt = this.released.firstValue();
    }
  }
}
