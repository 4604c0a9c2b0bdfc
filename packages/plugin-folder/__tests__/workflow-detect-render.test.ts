import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ParameterError,
  renderWorkflow,
  validateParameters,
  type ApiWorkflow,
  type ChoiceResolver,
  type ParameterSpec,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { detectWorkflowJson } from '../src/index.js';

const corpus = (name: string) =>
  readFileSync(new URL(`./fixtures/workflows/${name}`, import.meta.url), 'utf8');
const objectInfo = JSON.parse(corpus('object-info/object_info.json')) as ObjectInfo;

/** Choices from /object_info, as the relay reads them at run time. */
const fromObjectInfo: ChoiceResolver = async (spec) => {
  if (!spec.choices) return undefined;
  if (Array.isArray(spec.choices)) return spec.choices;
  const { classType, input } = spec.choices as { classType: string; input: string };
  const inputSpec =
    objectInfo[classType]?.input.required?.[input] ??
    objectInfo[classType]?.input.optional?.[input];
  return Array.isArray(inputSpec?.[0]) ? inputSpec[0] : undefined;
};

/** A valid value other than the default, per parameter. */
function otherValue(
  spec: ParameterSpec,
  choices: readonly string[] | undefined,
): string | number | boolean {
  switch (spec.type) {
    case 'string':
      return `new ${spec.name}`;
    case 'image':
      return 'uploaded/cat.png';
    case 'seed':
      return 123456789;
    case 'boolean':
      return !spec.default;
    case 'choice':
      return choices?.find((c) => c !== spec.default) ?? String(spec.default);
    case 'integer':
    case 'number': {
      const current = typeof spec.default === 'number' ? spec.default : 1;
      const step = spec.multipleOf ?? (spec.type === 'integer' ? 1 : 0.25);
      const up = current + step;
      return spec.max !== undefined && up > spec.max ? current - step : up;
    }
  }
}

/** Every `node.input` whose value differs between two graphs, plus added or removed nodes. */
function changedInputs(before: ApiWorkflow, after: ApiWorkflow): string[] {
  const changed: string[] = [];
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[id];
    const b = after[id];
    if (!a || !b || a.class_type !== b.class_type) {
      changed.push(`${id}.*`);
      continue;
    }
    for (const input of new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)])) {
      if (JSON.stringify(a.inputs[input]) !== JSON.stringify(b.inputs[input]))
        changed.push(`${id}.${input}`);
    }
  }
  return changed.sort();
}

const usable = [
  'sd15-txt2img.json',
  'sdxl-refiner.json',
  'flux-dev.json',
  'img2img.json',
  'lora-chain.json',
  'hires-fix.json',
  'wan-i2v.json',
  'hunyuan-t2v-formats.json',
  'grouped-ids.json',
];

describe('rendering a detected definition', () => {
  it.each(usable)(
    '%s: validateParameters + renderWorkflow change only the bound inputs, each to its value',
    async (file) => {
      const definition = detectWorkflowJson(corpus(file), { objectInfo })
        .definition as WorkflowDefinition;
      expect(definition).toBeDefined();
      const input: Record<string, unknown> = {};
      for (const spec of definition.parameters)
        input[spec.name] = otherValue(spec, await fromObjectInfo(spec));
      const values = await validateParameters(definition, input, fromObjectInfo);
      const graph = renderWorkflow(definition, values);

      const bound = new Map<string, unknown>();
      for (const spec of definition.parameters) {
        for (const { node, input: name } of Array.isArray(spec.bind) ? spec.bind : [spec.bind])
          bound.set(`${node}.${name}`, values[spec.name]);
      }
      const changed = changedInputs(definition.template, graph);
      expect(changed.length).toBeGreaterThan(0);
      for (const key of changed)
        expect([...bound.keys()], `${file}: ${key} changed but is not bound`).toContain(key);
      for (const [key, value] of bound) {
        const dot = key.lastIndexOf('.');
        expect(graph[key.slice(0, dot)]?.inputs[key.slice(dot + 1)], key).toEqual(value);
      }
      // Links are untouched and the template itself is not modified.
      expect(definition.template).toEqual(JSON.parse(corpus(file)));
    },
  );

  it('defaults alone render the exported graph (but for a fresh seed)', async () => {
    const definition = detectWorkflowJson(corpus('sdxl-refiner.json'), { objectInfo })
      .definition as WorkflowDefinition;
    const graph = renderWorkflow(
      definition,
      await validateParameters(definition, {}, fromObjectInfo),
    );
    expect(
      changedInputs(definition.template, graph).filter((key) => key !== '10.noise_seed'),
    ).toEqual([]);
  });

  it('one prompt lands on the base and the refiner encoders; the refiner seed stays', async () => {
    const definition = detectWorkflowJson(corpus('sdxl-refiner.json'), { objectInfo })
      .definition as WorkflowDefinition;
    const graph = renderWorkflow(
      definition,
      await validateParameters(definition, { prompt: 'a red fox', seed: 5, steps: 30 }),
    );
    expect([graph['6']?.inputs['text'], graph['15']?.inputs['text']]).toEqual([
      'a red fox',
      'a red fox',
    ]);
    expect([graph['10']?.inputs['noise_seed'], graph['11']?.inputs['noise_seed']]).toEqual([5, 0]);
    expect([graph['10']?.inputs['steps'], graph['11']?.inputs['steps']]).toEqual([30, 30]);
  });

  it('limits from /object_info refuse bad values before anything is sent', async () => {
    const definition = detectWorkflowJson(corpus('flux-dev.json'), { objectInfo })
      .definition as WorkflowDefinition;
    const error = await validateParameters(
      definition,
      { steps: 0, sampler: 'nope', width: 1000 },
      fromObjectInfo,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).message).toContain('steps must be at least 1 (got 0)');
    expect((error as ParameterError).message).toContain('sampler "nope" is not available');
    // 1000 is rounded to the latent's step of 16 rather than refused.
    const values = await validateParameters(definition, { width: 1000 }, fromObjectInfo);
    expect(values['width']).toBe(1008);
  });
});
