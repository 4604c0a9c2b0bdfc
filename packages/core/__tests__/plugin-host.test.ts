import { describe, expect, it } from 'vitest';
import { PluginHost } from '../src/plugins/PluginHost.js';
import type { WorkflowDefinition } from '../src/workflow/WorkflowDefinition.js';

const workflow = (id: string, bindTo = '1'): WorkflowDefinition => ({
  id,
  title: id,
  description: id,
  template: { '1': { class_type: 'SaveImage', inputs: {} } },
  parameters: [{ name: 'p', type: 'string', bind: { node: bindTo, input: 'x' } }],
  outputs: [{ kind: 'image' }],
});

describe('PluginHost', () => {
  it('records which plugin registered each workflow', async () => {
    const host = new PluginHost();
    await host.use({ name: 'a', register: (r) => r.registerWorkflow(workflow('a.one')) });
    expect(host.pluginOf('a.one')).toBe('a');
    expect(host.workflows().map((w) => w.id)).toEqual(['a.one']);
  });

  it('leaves nothing behind when a plugin fails to register, and says why', async () => {
    const host = new PluginHost();
    const broken = host.use({
      name: 'broken',
      register(r) {
        r.registerWorkflow(workflow('broken.ok'));
        r.registerWorkflow(workflow('broken.bad', '99'));
      },
    });
    await expect(broken).rejects.toThrow(
      'parameter p binds to node 99, which is not in the template',
    );
    expect(host.has('broken.ok')).toBe(false);
    expect(host.hasPlugin('broken')).toBe(false);
    await host.use({ name: 'broken', register: (r) => r.registerWorkflow(workflow('broken.ok')) });
    expect(host.has('broken.ok')).toBe(true);
  });

  it('refuses a workflow id another plugin already registered', async () => {
    const host = new PluginHost();
    await host.use({ name: 'a', register: (r) => r.registerWorkflow(workflow('same')) });
    await expect(
      host.use({ name: 'b', register: (r) => r.registerWorkflow(workflow('same')) }),
    ).rejects.toThrow('Workflow same of b is already registered by a');
  });
});
