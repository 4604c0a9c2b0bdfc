import type { ParameterSpec, WorkflowDefinition } from '@comfyrelay/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignCommandNames,
  buildCommandCatalog,
  commandInput,
  suggestChoices,
  type CommandCatalog,
  type WorkflowCommand,
} from '../src/index.js';
import { everyWorkflow, workflow } from './helpers/workflows.js';

const NAME = /^[a-z0-9_]{1,32}$/;

const namesOf = (catalog: CommandCatalog) =>
  Object.fromEntries(
    catalog.commands.flatMap((c) => (c.kind === 'workflow' ? [[c.workflow, c.name]] : [])),
  );

describe('the command catalog of every workflow the plugins register', () => {
  let workflows: WorkflowDefinition[];
  let catalog: CommandCatalog;
  beforeAll(async () => {
    workflows = await everyWorkflow();
    catalog = buildCommandCatalog(workflows);
  });

  it('covers image, video and folder workflows', () => {
    const ids = workflows.map((w) => w.id);
    expect(ids).toContain('image.txt2img');
    expect(ids).toContain('video.text-to-video');
    expect(ids.filter((id) => id.startsWith('custom.')).length).toBeGreaterThan(5);
    expect(catalog.commands.filter((c) => c.kind === 'workflow')).toHaveLength(workflows.length);
  });

  it('gives every command a valid, unique name, the well-known ones included', () => {
    const names = catalog.commands.map((command) => command.name);
    for (const name of names) expect(name).toMatch(NAME);
    expect(new Set(names).size).toBe(names.length);
    expect(catalog.forWorkflow('image.txt2img')?.name).toBe('imagine');
    expect(catalog.forWorkflow('video.text-to-video')?.name).toBe('video');
    expect(catalog.forWorkflow('image.txt2img-lora')?.name).toBe('image_txt2img_lora');
    expect(catalog.forWorkflow('video.text-to-video.webm')?.name).toBe('video_text_to_video_webm');
    expect(catalog.forWorkflow('custom.sd15-txt2img')?.name).toBe('custom_sd15_txt2img');
    for (const builtin of ['queue', 'cancel', 'status', 'settings', 'show', 'help'])
      expect(catalog.command(builtin)?.kind).toBe('builtin');
  });

  it('names the same workflows the same way every time, whatever their order', () => {
    const again = buildCommandCatalog(workflows);
    const reversed = buildCommandCatalog([...workflows].reverse());
    expect(again.commands).toEqual(catalog.commands);
    expect(namesOf(reversed)).toEqual(namesOf(catalog));
  });

  it('renames none when a workflow is added, even one whose name would collide', () => {
    const before = namesOf(catalog);
    const added = buildCommandCatalog([
      ...workflows,
      workflow('operator.Upscale 4×'),
      workflow('imagine'),
      workflow('help'),
    ]);
    const after = namesOf(added);
    for (const [id, name] of Object.entries(before)) expect(after[id], id).toBe(name);
    // A new id that sanitises to a taken name gets a suffix hashed from its own id.
    expect(after['imagine']).toMatch(/^imagine_[0-9a-f]{6}$/);
    expect(after['help']).toMatch(/^help_[0-9a-f]{6}$/);
    expect(after['operator.Upscale 4×']).toBe('operator_upscale_4');
  });

  it('keeps descriptions within 100 characters and options within both platforms’ rules', () => {
    for (const command of catalog.commands) {
      expect(command.description.length, command.name).toBeGreaterThan(0);
      expect(command.description.length, command.name).toBeLessThanOrEqual(100);
      expect(command.options.length, command.name).toBeLessThanOrEqual(25);
      const optionNames = command.options.map((option) => option.name);
      expect(new Set(optionNames).size, command.name).toBe(optionNames.length);
      let optionalSeen = false;
      for (const option of command.options) {
        expect(option.name, `${command.name} ${option.name}`).toMatch(NAME);
        expect(option.description.length).toBeGreaterThan(0);
        expect(option.description.length).toBeLessThanOrEqual(100);
        if (option.choices) expect(option.choices.length).toBeLessThanOrEqual(25);
        if (option.choices) expect(option.autocomplete).toBe(false);
        if (!option.required) optionalSeen = true;
        else
          expect(optionalSeen, `${command.name}: ${option.name} after an optional one`).toBe(false);
      }
    }
  });

  it('types options after their parameters: attachments for images, autocomplete for live choices', () => {
    const imagine = catalog.command('imagine') as WorkflowCommand;
    const option = (name: string) => imagine.options.find((o) => o.name === name);
    expect(imagine.options[0]).toMatchObject({ name: 'prompt', type: 'string', required: true });
    expect(option('steps')).toMatchObject({ type: 'integer', min: 1, max: 100, default: 20 });
    expect(option('checkpoint')).toMatchObject({ type: 'choice', autocomplete: true });
    expect(option('seed')).toMatchObject({ type: 'integer', min: 0 });
    expect(option('aspect')).toMatchObject({ type: 'string', aliases: ['ar'] });
    expect(option('negative')?.aliases).toEqual(['no']);
    const img2img = catalog.forWorkflow('image.img2img')!;
    expect(img2img.options.find((o) => o.parameter === 'image')).toMatchObject({
      type: 'attachment',
      required: true,
    });
  });
});

describe('commands of unusual workflows', () => {
  const numbers = (count: number, required = false): ParameterSpec[] =>
    Array.from({ length: count }, (_, i) => ({
      name: `Value ${i + 1}`,
      type: 'integer',
      required,
      default: 1,
      bind: { node: '1', input: `v${i}` },
    }));

  it('cuts long descriptions on a word, with an ellipsis', () => {
    const long = workflow('long', [], {
      description: 'A workflow that does a great many things '.repeat(5),
    });
    const command = buildCommandCatalog([long]).forWorkflow('long')!;
    expect(command.description.length).toBeLessThanOrEqual(100);
    expect(command.description).toMatch(/ things…$|[a-z]…$/);
    expect(command.description).not.toMatch(/ …$/);
  });

  it('offers 25 choices as a list and more as autocomplete', () => {
    const choices = (count: number): ParameterSpec => ({
      name: 'style',
      type: 'choice',
      choices: Array.from({ length: count }, (_, i) => `s${i}`),
      default: 's0',
      bind: { node: '1', input: 'style' },
    });
    const few = workflowCommandOf(workflow('few', [choices(25)]));
    const many = workflowCommandOf(workflow('many', [choices(26)]));
    expect(few.options[0]).toMatchObject({ autocomplete: false });
    expect(few.options[0]?.choices).toHaveLength(25);
    expect(many.options[0]).toMatchObject({ autocomplete: true });
    expect(many.options[0]?.choices).toBeUndefined();
  });

  it('puts parameters past the 25th into one text option, read as --name value', () => {
    const definition = workflow('wide', [
      ...numbers(30),
      { name: 'prompt', type: 'string', required: true, bind: { node: '1', input: 'p' } },
    ]);
    const command = workflowCommandOf(definition);
    expect(command.options).toHaveLength(25);
    expect(command.options[0]?.name).toBe('prompt');
    expect(command.extraOption).toBe('more');
    expect(command.options[24]).toMatchObject({ name: 'more', type: 'string', required: false });
    expect(command.overflow).toEqual([
      'Value 24',
      'Value 25',
      'Value 26',
      'Value 27',
      'Value 28',
      'Value 29',
      'Value 30',
    ]);
    expect(
      commandInput(command, definition, {
        prompt: 'a cat',
        value_1: 3,
        more: '--value_30 7 --value-29 8',
      }),
    ).toEqual({ prompt: 'a cat', 'Value 1': 3, 'Value 30': '7', 'Value 29': '8' });
  });

  it('resolves sanitising collisions from each id alone', () => {
    const names = assignCommandNames(['custom.a-b', 'custom.a_b', 'custom.c']);
    expect(names.get('custom.c')).toBe('custom_c');
    expect(names.get('custom.a-b')).toMatch(/^custom_a_b_[0-9a-f]{6}$/);
    expect(names.get('custom.a_b')).toMatch(/^custom_a_b_[0-9a-f]{6}$/);
    expect(names.get('custom.a-b')).not.toBe(names.get('custom.a_b'));
    expect(assignCommandNames(['custom.c', 'custom.a_b', 'custom.a-b'])).toEqual(names);
    const long = 'operator.' + 'very-long-workflow-name-'.repeat(3);
    expect(assignCommandNames([long]).get(long)).toMatch(/^[a-z0-9_]{1,32}$/);
    expect(assignCommandNames(['日本']).get('日本')).toMatch(/^w_[0-9a-f]{6}$/);
  });

  it('takes a configured map of well-known names', () => {
    const catalog = buildCommandCatalog([workflow('image.flux'), workflow('image.txt2img')], {
      wellKnownNames: { 'image.flux': 'flux' },
    });
    expect(catalog.forWorkflow('image.flux')?.name).toBe('flux');
    expect(catalog.forWorkflow('image.txt2img')?.name).toBe('image_txt2img');
    expect(catalog.command('/flux@my_bot')?.name).toBe('flux');
  });
});

describe('autocomplete suggestions', () => {
  it('lists what starts with the typed text, then what contains it, at most 25', () => {
    const models = [
      'sdxl_base.safetensors',
      'sd15.safetensors',
      'juggernaut_xl.safetensors',
      'x'.repeat(120),
    ];
    expect(suggestChoices(models, 'xl')).toEqual([
      'sdxl_base.safetensors',
      'juggernaut_xl.safetensors',
    ]);
    expect(suggestChoices(models, 'SD')).toEqual(['sdxl_base.safetensors', 'sd15.safetensors']);
    expect(
      suggestChoices(
        Array.from({ length: 40 }, (_, i) => `m${i}`),
        '',
      ),
    ).toHaveLength(25);
  });
});

function workflowCommandOf(definition: WorkflowDefinition): WorkflowCommand {
  return buildCommandCatalog([definition]).forWorkflow(definition.id)!;
}
