import type { ExecutionEndStatus } from '../events.js';
import type { UiOutput } from '../nodes/types.js';

/** `[event, data]` as kept in history status.messages. */
export type ExecutionMessage = [string, Record<string, unknown>];

export interface RunResult {
  status: ExecutionEndStatus;
  outputs: Record<string, UiOutput>;
  meta: Record<string, unknown>;
  messages: ExecutionMessage[];
}

/** What the server remembers about the running prompt (ComfyUI's server.client_id / last_node_id). */
export interface ServerExecState {
  clientId: unknown;
  lastNodeId: string | null;
}

/** Where a run sends its WebSocket traffic; a null/undefined sid means every socket. */
export interface MessageSink {
  sendJson(event: string, data: unknown, sid: unknown): void;
  sendBinary(frame: Buffer, sid: unknown): void;
  supportsPreviewMetadata(sid: unknown): boolean;
}
