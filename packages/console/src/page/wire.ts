// What the console's server sends: the relay's records and events as JSON (previews as data URLs).

export type Status = 'submitted' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Origin {
  platform?: string;
  userId?: string;
  displayName?: string;
  chatId?: string;
}

export interface Progress {
  fraction: number;
  phase: string;
  step?: number;
  stepTotal?: number;
  etaMs?: number;
  preview?: { mime: string; dataUrl: string };
}

export interface Output {
  kind: 'image' | 'animated-image' | 'video';
  mime: string;
  file: { filename: string };
}

export interface GenerationRecord {
  id: string;
  workflow?: string;
  parameters?: Record<string, unknown>;
  origin?: Origin;
  parentId?: string;
  action?: string;
  status: Status;
  position?: number;
  ahead?: number;
  progress?: Omit<Progress, 'preview'>;
  outputs?: Output[];
  error?: { message: string };
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface BackendStatus {
  id: string;
  url: string;
  state: string;
  load: number;
  tracked: number;
}

export interface BackendDetails extends BackendStatus {
  reconnects: number;
  recentErrors: { at: number; state: string; reason: string }[];
  version?: string;
  models: Record<string, string[]>;
  problems: string[];
}

export interface Snapshot {
  backends: BackendStatus[];
  generations: GenerationRecord[];
}

export type RelayEvent =
  | { type: 'submitted' | 'resumed'; id: string; record: GenerationRecord }
  | { type: 'queued'; id: string; position: number; ahead: number }
  | { type: 'positions'; positions: Record<string, { position: number; ahead: number }> }
  | { type: 'started' | 'cancelled'; id: string }
  | { type: 'progress'; id: string; progress: Progress }
  | { type: 'succeeded'; id: string; outputs: Output[] }
  | { type: 'failed'; id: string; error: { message: string } }
  | { type: 'backend'; backend: string; state: string; reason?: string; queueRemaining?: number };

export interface ParameterDescription {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'seed' | 'image';
  description?: string;
  required: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  multipleOf?: number;
  maxLength?: number;
  choices?: string[];
  liveChoices: boolean;
  choicesProblem?: string;
}

export interface WorkflowDescription {
  id: string;
  title: string;
  description: string;
  parameters: ParameterDescription[];
}

export interface ErrorBody {
  error: string;
  message: string;
  problems?: { parameter: string; message: string }[];
}

export const TERMINAL: ReadonlySet<Status> = new Set(['succeeded', 'failed', 'cancelled']);
