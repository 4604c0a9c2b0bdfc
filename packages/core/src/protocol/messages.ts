/** The JSON messages ComfyUI sends on `/ws` (see PROTOCOL.md). */
export interface StatusMessage {
  type: 'status';
  data: { status: { exec_info: { queue_remaining: number } }; sid?: string };
}
export interface ExecutionStartMessage {
  type: 'execution_start';
  data: { prompt_id: string; timestamp?: number };
}
export interface ExecutionCachedMessage {
  type: 'execution_cached';
  data: { prompt_id: string; nodes: string[]; timestamp?: number };
}
export interface ExecutingMessage {
  type: 'executing';
  /** `prompt_id` is absent on the message a reconnecting socket gets; `node` is null when the prompt is done. */
  data: { node: string | null; display_node?: string; prompt_id?: string };
}
export interface ProgressMessage {
  type: 'progress';
  data: { value: number; max: number; prompt_id?: string; node?: string };
}
export interface ProgressStateMessage {
  type: 'progress_state';
  data: {
    prompt_id: string;
    nodes: Record<string, { value: number; max: number; state: string; node_id?: string }>;
  };
}
export interface ExecutedMessage {
  type: 'executed';
  data: { node: string; display_node?: string; output: NodeOutput | null; prompt_id: string };
}
export interface ExecutionSuccessMessage {
  type: 'execution_success';
  data: { prompt_id: string; timestamp?: number };
}
export interface ExecutionErrorMessage {
  type: 'execution_error';
  data: {
    prompt_id: string;
    node_id: string;
    node_type: string;
    exception_message: string;
    exception_type: string;
    traceback?: string[];
    executed?: string[];
  };
}
export interface ExecutionInterruptedMessage {
  type: 'execution_interrupted';
  data: { prompt_id: string; node_id: string; node_type: string; executed?: string[] };
}
export interface FeatureFlagsMessage {
  type: 'feature_flags';
  data: Record<string, unknown>;
}
export interface UnknownMessage {
  type: string;
  data: unknown;
}

export type PromptMessage =
  | ExecutionStartMessage
  | ExecutionCachedMessage
  | ExecutingMessage
  | ProgressMessage
  | ProgressStateMessage
  | ExecutedMessage
  | ExecutionSuccessMessage
  | ExecutionErrorMessage
  | ExecutionInterruptedMessage;

export type ComfyMessage = StatusMessage | FeatureFlagsMessage | PromptMessage;

/** A file ComfyUI produced or holds: what `/view` takes. */
export interface FileRef {
  filename: string;
  subfolder: string;
  type: 'output' | 'input' | 'temp' | string;
}

/** The `output` of an `executed` message or of a history entry's node. */
export interface NodeOutput {
  images?: FileRef[];
  gifs?: FileRef[];
  videos?: FileRef[];
  animated?: boolean[];
  [key: string]: unknown;
}

/** A preview decoded from a binary frame (event 1 or 4). */
export interface PreviewImage {
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | string;
  data: Buffer;
  /** Only event 4 names its prompt and node. */
  promptId?: string;
  nodeId?: string;
}
