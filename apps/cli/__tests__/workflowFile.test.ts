import { describe, expect, it } from 'vitest';
import type { ApiWorkflow } from '@comfyrelay/core';
import {
  parseImageOption,
  parseSetOption,
  parseWorkflow,
  planGenerations,
  seedInputsOf,
} from '../src/index.js';

const graph: ApiWorkflow = {
  '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 20, cfg: 7, model: ['4', 0] } },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } },
  '5': { class_type: 'SamplerCustom', inputs: { noise_seed: ['6', 0], cfg: 7 } },
  '7': { class_type: 'KSamplerAdvanced', inputs: { noise_seed: 9, steps: 10 } },
};

describe('parseWorkflow', () => {
  it('accepts a bare API workflow and the {"prompt": …} wrapper', () => {
    expect(parseWorkflow(JSON.stringify(graph), 'a.json')).toEqual(graph);
    expect(parseWorkflow(JSON.stringify({ prompt: graph, client_id: 'x' }), 'a.json')).toEqual(
      graph,
    );
  });

  it('explains the UI format, broken JSON and non-nodes', () => {
    expect(() => parseWorkflow(JSON.stringify({ nodes: [], links: [] }), 'ui.json')).toThrow(
      /Export \(API\)/,
    );
    expect(() => parseWorkflow('{', 'bad.json')).toThrow(/bad\.json is not valid JSON/);
    expect(() => parseWorkflow(JSON.stringify({ '1': { inputs: {} } }), 'x.json')).toThrow(
      /node 1 is not an API-format node/,
    );
  });
});

describe('--set and --image', () => {
  it('splits NODE.INPUT=VALUE at the last dot before "=" and the first "=", keeping the text as typed', () => {
    expect(parseSetOption('3.steps=30')).toEqual({ nodeId: '3', input: 'steps', text: '30' });
    expect(parseSetOption('12:4.text=a=b.c')).toEqual({
      nodeId: '12:4',
      input: 'text',
      text: 'a=b.c',
    });
    expect(() => parseSetOption('steps=30')).toThrow(/NODE\.INPUT=VALUE/);
    expect(() => parseSetOption('3.steps')).toThrow(/NODE\.INPUT=VALUE/);
  });

  it('splits NODE=PATH', () => {
    expect(parseImageOption('10=photos/cat=1.png')).toEqual({
      nodeId: '10',
      path: 'photos/cat=1.png',
    });
    expect(() => parseImageOption('cat.png')).toThrow(/--image takes NODE=PATH/);
    expect(() => parseImageOption('10=')).toThrow(/--image takes NODE=PATH/);
  });
});

describe('seed randomizing', () => {
  it('finds literal seed/noise_seed inputs, not linked ones', () => {
    expect(seedInputsOf(graph)).toEqual(['3.seed', '7.noise_seed']);
    expect(seedInputsOf(graph, new Set(['3.seed']))).toEqual(['7.noise_seed']);
  });

  it('leaves a single generation alone', () => {
    const [only] = planGenerations(graph, 1, new Set());
    expect(only?.graph).toEqual(graph);
    expect(only?.seeds).toEqual({});
  });

  it('gives every generation fresh, distinct seeds, except the ones set by hand', () => {
    let next = 0;
    const repeating = () => [5, 5, 6, 6, 7, 8, 9][next++] ?? 100 + next;
    const plan = planGenerations(graph, 3, new Set(['7.noise_seed']), repeating);
    expect(plan.map((p) => p.graph['3']?.inputs['seed'])).toEqual([5, 6, 7]);
    expect(plan.map((p) => p.graph['7']?.inputs['noise_seed'])).toEqual([9, 9, 9]);
    expect(plan.map((p) => p.graph['5']?.inputs['noise_seed'])).toEqual([
      ['6', 0],
      ['6', 0],
      ['6', 0],
    ]);
    expect(plan[1]?.seeds).toEqual({ '3.seed': 6 });
  });
});
