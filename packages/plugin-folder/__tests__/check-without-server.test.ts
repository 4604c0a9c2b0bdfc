import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { checkWorkflowFile, detectWorkflow } from '../src/index.js';

const fixtures = new URL('./fixtures/workflows/', import.meta.url).pathname;
const corpus = async (name: string) =>
  JSON.parse(await readFile(join(fixtures, name), 'utf8')) as Record<
    string,
    { class_type: string; inputs: Record<string, unknown> }
  >;
/** A catalogue of core classes standing in for the server (as the simulator's is, offline). */
let reference: ObjectInfo;
let temp: string;

beforeEach(async () => {
  reference = (await corpus('object-info/object_info.json')) as unknown as ObjectInfo;
  temp = await mkdtemp(join(tmpdir(), 'comfyrelay-check-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function put(name: string, content: unknown): Promise<string> {
  const path = join(temp, name);
  await writeFile(path, JSON.stringify(content, null, 2));
  return path;
}

const summary = (problems: { severity: string; code: string; node?: string }[]) =>
  problems.map((p) => `${p.severity} ${p.code}${p.node ? ` ${p.node}` : ''}`);

describe('checking against a reference catalogue (no server)', () => {
  it('a class the catalogue lacks could not be checked: a warning that says so, not a verdict', async () => {
    const detection = detectWorkflow(await corpus('unknown-class.json'), {
      objectInfo: reference,
      objectInfoFrom: 'reference',
    });
    expect(summary(detection.problems)).toEqual(['warning class_not_checked 10']);
    expect(detection.problems[0]?.message).toContain('could not be checked');
    expect(detection.definition).toBeDefined();

    // The server that will run it is the judge: there the class is missing, an error.
    const onServer = detectWorkflow(await corpus('unknown-class.json'), { objectInfo: reference });
    expect(summary(onServer.problems)).toEqual(['error unknown_class 10']);
  });

  it('a known class missing a required input is an error', async () => {
    const graph = await corpus('sd15-txt2img.json');
    delete graph['3']?.inputs['steps'];
    const detection = detectWorkflow(graph, { objectInfo: reference, objectInfoFrom: 'reference' });
    expect(summary(detection.problems)).toEqual(['error required_input_missing 3']);
    expect(detection.definition).toBeUndefined();
  });

  it('model names differ between servers and are not checked; fixed lists (samplers) are', async () => {
    const graph = await corpus('sd15-txt2img.json');
    graph['4']!.inputs['ckpt_name'] = 'my-own-model.safetensors';
    graph['3']!.inputs['sampler_name'] = 'eulr';
    const detection = detectWorkflow(graph, { objectInfo: reference, objectInfoFrom: 'reference' });
    expect(summary(detection.problems)).toEqual(['warning value_not_in_list 3']);
    expect(detection.problems[0]?.message).toMatch(
      /input "sampler_name" is "eulr", which ComfyUI does not offer/,
    );
  });
});

describe('manifest mistakes', () => {
  it('an id that is not usable is refused, not rewritten', async () => {
    const file = await put('portrait.json', await corpus('sd15-txt2img.json'));
    await put('portrait.manifest.json', { id: 'My Portrait!' });
    const report = await checkWorkflowFile(file, { objectInfo: reference });
    expect(report.definition).toBeUndefined();
    expect(report.problems.map((p) => p.message)).toEqual([
      'portrait.manifest.json: "id" "My Portrait!" must be lowercase letters, digits, "-" and "_" (it becomes custom.<id>), such as "my-portrait"',
    ]);

    await put('portrait.manifest.json', { id: 'custom.portrait' });
    const prefixed = await checkWorkflowFile(file, { objectInfo: reference });
    expect(prefixed.problems.map((p) => p.message)).toEqual([
      'portrait.manifest.json: "id" "custom.portrait" must not start with "custom." (it is added): write "portrait"',
    ]);
  });

  it('three mistakes are reported at once', async () => {
    const file = await put('portrait.json', await corpus('sd15-txt2img.json'));
    await put('portrait.manifest.json', {
      id: 'Portrait',
      parameters: { style: { bind: '99.text' }, steps: { max: 10 } },
    });
    const report = await checkWorkflowFile(file, { objectInfo: reference });
    expect(report.definition).toBeUndefined();
    expect(report.problems.map((p) => p.message)).toEqual([
      'portrait.manifest.json: "id" "Portrait" must be lowercase letters, digits, "-" and "_" (it becomes custom.<id>), such as "portrait"',
      'portrait.manifest.json: parameter style binds to node 99, which is not in the workflow',
      'portrait.manifest.json: parameter steps: default 20 is above max 10',
    ]);
  });
});
