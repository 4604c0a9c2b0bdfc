import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  collectWorkflows,
  renderWorkflow,
  validateParameters,
  type Logger,
  type ParameterSpec,
  type Plugin,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import {
  checkWorkflowFile,
  createFolderWorkflowsPlugin,
  loadWorkflowFolder,
} from '../src/index.js';

const fixtures = new URL('./fixtures/workflows/', import.meta.url).pathname;
const folder = join(fixtures, 'folder');
const corpus = (name: string) => readFile(join(fixtures, name), 'utf8');
let objectInfo: ObjectInfo;

/** A logger that keeps what it was told. */
function recordingLogger(): Logger & {
  lines: { level: string; message: string; context?: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; context?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, context?: Record<string, unknown>) => {
    lines.push({ level, message, ...(context ? { context } : {}) });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function param(
  definition: WorkflowDefinition | undefined,
  name: string,
): ParameterSpec | undefined {
  return definition?.parameters.find((p) => p.name === name);
}

let temp: string;
beforeEach(async () => {
  objectInfo = JSON.parse(await corpus('object-info/object_info.json')) as ObjectInfo;
  temp = await mkdtemp(join(tmpdir(), 'comfyrelay-workflows-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function put(name: string, content: unknown): Promise<string> {
  const path = join(temp, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

describe('loadWorkflowFolder', () => {
  it('loads the good files and reports every broken one, without throwing', async () => {
    const logger = recordingLogger();
    const result = await loadWorkflowFolder(folder, { objectInfo, logger });
    expect(result.definitions.map((d) => d.id)).toEqual([
      'custom.flux-embedded',
      'custom.portrait',
    ]);
    const failures = Object.fromEntries(
      result.failures.map((f) => [
        f.file.slice(folder.length + 1),
        f.problems.map((p) => p.message),
      ]),
    );
    expect(Object.keys(failures).sort()).toEqual([
      'bad-binding.json',
      'broken.json',
      'old-ui-save.json',
      'orphan.manifest.json',
    ]);
    expect(failures['old-ui-save.json']).toEqual([
      'this is the UI format (a saved workflow with "nodes" and "links" lists); in ComfyUI use Workflow → Export (API) and use that file',
    ]);
    expect(failures['broken.json']?.[0]).toMatch(/^the file is not valid JSON/);
    expect(failures['bad-binding.json']).toEqual([
      'bad-binding.manifest.json: parameter style binds to node 99, which is not in the workflow',
      'bad-binding.manifest.json: parameter model binds to node 3 (KSampler) input "model", which is linked to another node; a parameter may only replace a value, never a link',
    ]);
    expect(failures['orphan.manifest.json']).toEqual([
      'orphan.manifest.json has no workflow beside it (expected orphan.json)',
    ]);
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.message)).toEqual(Array(4).fill('workflow not loaded'));
    expect(
      errors.find((line) => String(line.context?.['file']).endsWith('broken.json'))?.context?.[
        'problems'
      ],
    ).toEqual(failures['broken.json']);
  });

  it('applies a manifest beside the workflow: names, limits, hidden and added parameters, outputs', async () => {
    const { definitions } = await loadWorkflowFolder(folder, { objectInfo });
    const portrait = definitions.find((d) => d.id === 'custom.portrait');
    expect(portrait).toMatchObject({
      title: 'Portrait',
      description: 'SD 1.5 portraits',
      deadlineMs: 300_000,
      outputs: [{ node: '9', kind: 'image', mime: 'image/png' }],
    });
    expect(portrait?.parameters.map((p) => p.name)).toEqual([
      'prompt',
      'negative_prompt',
      'seed',
      'steps',
      'sampler',
      'scheduler',
      'width',
      'height',
      'batch_size',
      'checkpoint',
    ]);
    expect(param(portrait, 'steps')).toMatchObject({
      min: 1,
      max: 40,
      default: 20,
      description: 'Sampling steps (at most 40 here)',
    });
    expect(param(portrait, 'sampler')).toMatchObject({
      type: 'choice',
      choices: ['euler', 'dpmpp_2m'],
      default: 'euler',
    });
    expect(param(portrait, 'width')).toMatchObject({
      min: 256,
      max: 1024,
      multipleOf: 8,
      default: 512,
    });
    expect(param(portrait, 'checkpoint')).toEqual({
      name: 'checkpoint',
      type: 'choice',
      description: 'Model',
      default: 'v1-5-pruned-emaonly.safetensors',
      choices: { classType: 'CheckpointLoaderSimple', input: 'ckpt_name' },
      bind: { node: '4', input: 'ckpt_name' },
    });
    expect(param(portrait, 'cfg')).toBeUndefined();

    const values = await validateParameters(portrait as WorkflowDefinition, {
      prompt: 'a knight',
      steps: 30,
      checkpoint: 'dreamshaper_8.safetensors',
    });
    const graph = renderWorkflow(portrait as WorkflowDefinition, values);
    expect(graph['4']?.inputs['ckpt_name']).toBe('dreamshaper_8.safetensors');
    expect(graph['3']?.inputs['cfg']).toBe(8);
    await expect(validateParameters(portrait as WorkflowDefinition, { steps: 41 })).rejects.toThrow(
      'steps must be at most 40 (got 41)',
    );
    await expect(
      validateParameters(portrait as WorkflowDefinition, { sampler: 'lms' }),
    ).rejects.toThrow('sampler "lms" is not available');
  });

  it('reads a manifest embedded under "comfyrelay", which never reaches the template', async () => {
    const { definitions } = await loadWorkflowFolder(folder, { objectInfo });
    const flux = definitions.find((d) => d.id === 'custom.flux-embedded');
    expect(flux).toMatchObject({ title: 'Flux dev', description: 'Flux dev, 20 steps' });
    expect(param(flux, 'guidance')).toMatchObject({ max: 10, default: 3.5 });
    expect(param(flux, 'batch_size')).toBeUndefined();
    expect(flux?.template['comfyrelay']).toBeUndefined();
    expect(Object.keys(flux?.template ?? {})).toHaveLength(14);
  });

  it('without a manifest: id and title from the file name', async () => {
    await put('My SDXL (refiner).json', await corpus('sdxl-refiner.json'));
    const { definitions, failures } = await loadWorkflowFolder(temp);
    expect(failures).toEqual([]);
    expect(definitions[0]).toMatchObject({
      id: 'custom.my-sdxl-refiner',
      title: 'My SDXL (refiner)',
      description: 'Text to image (an exported ComfyUI workflow)',
    });
  });

  it('a missing folder is a failure, not an exception', async () => {
    const logger = recordingLogger();
    const result = await loadWorkflowFolder(join(temp, 'nope'), { logger });
    expect(result.definitions).toEqual([]);
    expect(result.failures[0]?.problems[0]?.message).toBe(
      `cannot read the workflow folder ${join(temp, 'nope')}: the folder does not exist`,
    );
    expect(logger.lines[0]).toMatchObject({
      level: 'error',
      message: 'workflow folder not loaded',
    });
  });

  it('two files that would share an id: the second is refused and says why', async () => {
    await put('a.json', await corpus('sd15-txt2img.json'));
    await put('b.json', await corpus('sd15-txt2img.json'));
    await put('b.manifest.json', { id: 'a' });
    const result = await loadWorkflowFolder(temp);
    expect(result.definitions.map((d) => d.id)).toEqual(['custom.a']);
    expect(result.failures[0]?.problems[0]?.message).toBe(
      'b.json would be custom.a, which a.json already is; give one of them another "id" in its manifest',
    );
  });
});

describe('manifests', () => {
  it('a new parameter that binds a detected input takes it over; detect:false keeps only the listed ones', async () => {
    const file = await put('flow.json', await corpus('sdxl-refiner.json'));
    await put('flow.manifest.json', {
      parameters: { subject: { bind: '6.text', required: true } },
    });
    const taken = await checkWorkflowFile(file, { objectInfo });
    expect(taken.problems).toEqual([]);
    expect(param(taken.definition, 'subject')).toMatchObject({
      type: 'string',
      required: true,
      bind: { node: '6', input: 'text' },
    });
    // The refiner's encoder stays with "prompt".
    expect(param(taken.definition, 'prompt')?.bind).toEqual({ node: '15', input: 'text' });
    expect(taken.detected.find((d) => d.parameter === 'subject')).toMatchObject({
      source: 'manifest',
      classType: 'CLIPTextEncode',
    });
    expect(taken.detected.find((d) => d.parameter === 'seed')?.source).toBe('detected');

    await put('flow.manifest.json', {
      detect: false,
      parameters: { prompt: { bind: ['6.text', '15.text'] }, seed: { bind: '10.noise_seed' } },
    });
    const only = await checkWorkflowFile(file, { objectInfo });
    expect(only.definition?.parameters.map((p) => [p.name, p.type])).toEqual([
      ['prompt', 'string'],
      ['seed', 'seed'],
    ]);
    expect(only.missing).toEqual([
      'no image size input found (EmptyLatentImage or a variant with literal width and height): the size is fixed',
    ]);
  });

  it("a detected parameter moved to another input takes that input's value as its default", async () => {
    const file = await put('flow.json', await corpus('hires-fix.json'));
    await put('flow.manifest.json', {
      parameters: { steps: { bind: ['3.steps', '11.steps'], default: 20 } },
    });
    const report = await checkWorkflowFile(file, { objectInfo });
    expect(report.problems).toEqual([]);
    expect(param(report.definition, 'steps')).toMatchObject({
      type: 'integer',
      default: 20,
      min: 1,
      max: 10000,
      bind: [
        { node: '3', input: 'steps' },
        { node: '11', input: 'steps' },
      ],
    });
    expect(report.detected.find((d) => d.parameter === 'steps')?.note).toBeUndefined();
  });

  it('every mistake in a manifest is named, and makes the workflow unusable until fixed', async () => {
    const file = await put('flow.json', await corpus('sd15-txt2img.json'));
    await put('flow.manifest.json', {
      titel: 'typo',
      detect: 'yes',
      parameters: {
        Steps: { max: 10 },
        steps: { min: 50, max: 10 },
        cfg: { choices: 'many' },
        mood: { type: 'string' },
      },
      outputs: [{ node: 9, kind: 'picture' }],
    });
    const report = await checkWorkflowFile(file, { objectInfo });
    expect(report.definition).toBeUndefined();
    expect(report.problems.map((p) => `${p.severity}: ${p.message}`)).toEqual([
      'warning: flow.manifest.json: unknown field "titel" is ignored',
      'error: flow.manifest.json: "detect" must be true or false',
      'error: flow.manifest.json: parameter name "Steps" must be lowercase letters, digits and _ (starting with a letter), as chat commands need',
      'error: flow.manifest.json: parameters.steps: min (50) is above max (10)',
      'error: flow.manifest.json: parameters.cfg.choices must be a list of strings, or {"classType": "…", "input": "…"} to read them from the server',
      'error: flow.manifest.json: outputs[0] needs "kind": one of image, animated-image, video',
      // What the right fields say is checked too, so every mistake is known at once.
      'error: flow.manifest.json: parameter mood is not a detected one, so it needs "bind" (e.g. "6.text")',
    ]);

    await put('flow.manifest.json', {
      parameters: { mood: { type: 'string' }, steps: { max: 10 }, cfg: { bind: '3.model' } },
    });
    const second = await checkWorkflowFile(file, { objectInfo });
    expect(second.problems.map((p) => p.message)).toEqual([
      'flow.manifest.json: parameter mood is not a detected one, so it needs "bind" (e.g. "6.text")',
      'flow.manifest.json: parameter steps: default 20 is above max 10',
      'flow.manifest.json: parameter cfg binds to node 3 (KSampler) input "model", which is linked to another node; a parameter may only replace a value, never a link',
    ]);
  });

  it("a manifest file that is not JSON is reported as the manifest's problem", async () => {
    const file = await put('flow.json', await corpus('sd15-txt2img.json'));
    await put('flow.manifest.json', '{ "title": ');
    const report = await checkWorkflowFile(file);
    expect(report.definition).toBeUndefined();
    expect(report.problems[0]).toMatchObject({
      code: 'manifest_invalid',
      message: expect.stringMatching(/^flow\.manifest\.json: the file is not valid JSON/),
    });
  });

  it('a manifest beside the file wins over an embedded one, and says so', async () => {
    const graph = JSON.parse(await corpus('sd15-txt2img.json')) as Record<string, unknown>;
    const file = await put('flow.json', { comfyrelay: { title: 'Embedded' }, ...graph });
    await put('flow.manifest.json', { title: 'Beside' });
    const report = await checkWorkflowFile(file);
    expect(report.definition?.title).toBe('Beside');
    expect(report.manifestFile).toBe(join(temp, 'flow.manifest.json'));
    expect(report.problems.map((p) => p.message)).toEqual([
      'flow.json has a "comfyrelay" key and flow.manifest.json sits beside it; only flow.manifest.json is used',
    ]);
  });

  it('an unreadable file is reported, not thrown', async () => {
    const report = await checkWorkflowFile(join(temp, 'gone.json'));
    expect(report.problems).toEqual([
      {
        code: 'unreadable',
        severity: 'error',
        message: `cannot read ${join(temp, 'gone.json')}: no such file`,
      },
    ]);
  });
});

describe('createFolderWorkflowsPlugin', () => {
  it('registers every good workflow; broken ones are logged and skipped', async () => {
    const logger = recordingLogger();
    const plugin = createFolderWorkflowsPlugin({ dir: folder, objectInfo, logger });
    const registered = await collectWorkflows(plugin);
    expect(registered.map((d) => d.id)).toEqual(['custom.flux-embedded', 'custom.portrait']);
    expect(plugin.result?.failures).toHaveLength(4);
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'info',
      message: 'folder workflows loaded',
      context: {
        workflows: ['custom.flux-embedded', 'custom.portrait'],
        checkedAgainstServer: true,
      },
    });
  });

  it('fetches /object_info, and checks offline when that fails or hangs', async () => {
    const fetched = await collectWorkflows(
      createFolderWorkflowsPlugin({ dir: folder, fetchObjectInfo: async () => objectInfo }),
    );
    const flux = fetched.find((d) => d.id === 'custom.flux-embedded');
    expect(param(flux, 'steps')).toMatchObject({
      min: 1,
      max: 10000,
    });

    const logger = recordingLogger();
    const offline = await collectWorkflows(
      createFolderWorkflowsPlugin({
        dir: folder,
        logger,
        fetchObjectInfo: () => new Promise<ObjectInfo>(() => {}),
        objectInfoTimeoutMs: 50,
      }),
    );
    expect(offline.map((d) => d.id)).toEqual(['custom.flux-embedded', 'custom.portrait']);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      context: { reason: 'no answer within 50 ms' },
    });
    expect(logger.lines[0]?.message).toMatch(
      /^could not read \/object_info: checking the workflow folder offline/,
    );

    const refused = await collectWorkflows(
      createFolderWorkflowsPlugin({
        dir: folder,
        name: 'again',
        fetchObjectInfo: () => Promise.reject(new Error('ECONNREFUSED')),
      }),
    );
    expect(refused).toHaveLength(2);
  });

  it('an id another plugin already registered is a failure, not a crash', async () => {
    const definition = (await loadWorkflowFolder(folder)).definitions.find(
      (d) => d.id === 'custom.portrait',
    ) as WorkflowDefinition;
    const other: Plugin = { name: 'other', register: (h) => h.registerWorkflow(definition) };
    const plugin = createFolderWorkflowsPlugin({ dir: folder });
    const registered = await collectWorkflows(other, plugin);
    expect(registered.map((d) => d.id)).toEqual(['custom.portrait', 'custom.flux-embedded']);
    expect(plugin.result?.definitions.map((d) => d.id)).toEqual(['custom.flux-embedded']);
    expect(plugin.result?.failures.at(-1)).toMatchObject({
      file: join(folder, 'portrait.json'),
      problems: [
        {
          code: 'duplicate_id',
          message: 'Workflow custom.portrait of folder-workflows is already registered by other',
        },
      ],
    });
  });
});
