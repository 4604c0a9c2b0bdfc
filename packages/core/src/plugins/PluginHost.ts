import { ComfyRelayError, NotFoundError } from '../errors.js';
import { silentLogger, type Logger } from '../util/Logger.js';
import type { WorkflowDefinition } from '../workflow/WorkflowDefinition.js';
import type { Plugin } from './Plugin.js';

/** Holds the plugins and the workflows they registered, and drives their lifecycle. */
export class PluginHost {
  private readonly plugins: Plugin[] = [];
  private readonly definitions = new Map<
    string,
    { definition: WorkflowDefinition; plugin: string }
  >();
  private started = false;

  constructor(private readonly logger: Logger = silentLogger) {}

  async use(plugin: Plugin): Promise<void> {
    if (this.plugins.some((p) => p.name === plugin.name)) {
      throw new ComfyRelayError(`Plugin ${plugin.name} is already registered`);
    }
    // Register into a staging list: a plugin whose register() throws leaves nothing behind.
    const staged: WorkflowDefinition[] = [];
    await plugin.register({
      registerWorkflow: (definition) => {
        this.check(definition, plugin.name, staged);
        staged.push(definition);
      },
    });
    this.plugins.push(plugin);
    for (const definition of staged)
      this.definitions.set(definition.id, { definition, plugin: plugin.name });
    if (this.started) await plugin.start?.();
    this.logger.info('plugin registered', { plugin: plugin.name });
  }

  async start(): Promise<void> {
    this.started = true;
    for (const plugin of this.plugins) await plugin.start?.();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const plugin of [...this.plugins].reverse()) {
      try {
        await plugin.stop?.();
      } catch (error) {
        this.logger.error('plugin failed to stop', { plugin: plugin.name, error: String(error) });
      }
    }
  }

  hasPlugin(name: string): boolean {
    return this.plugins.some((plugin) => plugin.name === name);
  }

  workflows(): WorkflowDefinition[] {
    return [...this.definitions.values()].map((entry) => entry.definition);
  }

  get(id: string): WorkflowDefinition {
    const entry = this.definitions.get(id);
    if (!entry) throw new NotFoundError(`There is no workflow called "${id}"`);
    return entry.definition;
  }

  has(id: string): boolean {
    return this.definitions.has(id);
  }

  /** The plugin that registered a workflow. */
  pluginOf(workflowId: string): string | undefined {
    return this.definitions.get(workflowId)?.plugin;
  }

  private check(
    definition: WorkflowDefinition,
    plugin: string,
    staged: WorkflowDefinition[],
  ): void {
    const existing =
      this.definitions.get(definition.id)?.plugin ??
      (staged.some((d) => d.id === definition.id) ? plugin : undefined);
    if (existing) {
      throw new ComfyRelayError(
        `Workflow ${definition.id} of ${plugin} is already registered by ${existing}`,
      );
    }
    for (const spec of definition.parameters) {
      for (const binding of Array.isArray(spec.bind) ? spec.bind : [spec.bind]) {
        if (!definition.template[binding.node]) {
          throw new ComfyRelayError(
            `Workflow ${definition.id}: parameter ${spec.name} binds to node ${binding.node}, which is not in the template`,
          );
        }
      }
    }
  }
}
