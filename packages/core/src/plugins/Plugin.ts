import type { WorkflowDefinition } from '../workflow/WorkflowDefinition.js';

/** What a plugin sees while it registers. */
export interface PluginRegistrar {
  registerWorkflow(definition: WorkflowDefinition): void;
}

/**
 * A generator package. Lifecycle: `register` (add workflows) → `start` (the relay is up) →
 * `stop` (shutting down), each optional but `register`.
 */
export interface Plugin {
  readonly name: string;
  register(host: PluginRegistrar): void | Promise<void>;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}
