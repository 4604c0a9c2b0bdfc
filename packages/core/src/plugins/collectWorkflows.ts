import type { WorkflowDefinition } from '../workflow/WorkflowDefinition.js';
import type { Plugin } from './Plugin.js';
import { PluginHost } from './PluginHost.js';

/**
 * The workflows a plugin registers, checked as the relay checks them (unique ids, bindings
 * that exist in the template), without a relay: for plugin authors' tests and listings.
 */
export async function collectWorkflows(...plugins: Plugin[]): Promise<WorkflowDefinition[]> {
  const host = new PluginHost();
  for (const plugin of plugins) await host.use(plugin);
  return host.workflows();
}
