import type { ApiWorkflow } from './graph.js';
import type { NodeOutput } from './messages.js';

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` */
export type QueueItem = [
  number: number,
  promptId: string,
  prompt: ApiWorkflow,
  extraData: Record<string, unknown>,
  outputsToExecute: string[],
];

export interface QueueResponse {
  queue_running: QueueItem[];
  queue_pending: QueueItem[];
}

export interface SubmitPromptResponse {
  prompt_id: string;
  number: number;
  node_errors: Record<string, NodeErrorEntry>;
}

export interface ComfyErrorDetail {
  type: string;
  message: string;
  details: string;
  extra_info?: Record<string, unknown>;
}

export interface NodeErrorEntry {
  errors: ComfyErrorDetail[];
  dependent_outputs: string[];
  class_type: string;
}

export interface PromptErrorBody {
  error: ComfyErrorDetail;
  node_errors: Record<string, NodeErrorEntry>;
}

export interface HistoryEntry {
  prompt: [number, string, ApiWorkflow, Record<string, unknown>, string[]];
  outputs: Record<string, NodeOutput>;
  status?: {
    status_str: 'success' | 'error' | string;
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
  meta?: Record<string, unknown>;
}

export type HistoryResponse = Record<string, HistoryEntry>;

export interface SystemStats {
  system: { os: string; comfyui_version?: string; python_version?: string; [k: string]: unknown };
  devices: { name: string; type: string; vram_total?: number; vram_free?: number }[];
}

export type InputSpec = [type: string | string[], options?: Record<string, unknown>];

export interface NodeClassInfo {
  input: {
    required?: Record<string, InputSpec>;
    optional?: Record<string, InputSpec>;
    hidden?: Record<string, unknown>;
  };
  input_order?: Record<string, string[]>;
  output: string[];
  output_name?: string[];
  name: string;
  display_name?: string;
  category?: string;
  output_node?: boolean;
}

export type ObjectInfo = Record<string, NodeClassInfo>;

export interface UploadResult {
  name: string;
  subfolder: string;
  type: string;
}
