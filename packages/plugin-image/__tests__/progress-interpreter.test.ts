import type { ApiWorkflow, PromptMessage } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import { ImageProgressInterpreter, loadTemplate, stepWeightedView } from '../src/index.js';

const prompt_id = 'p';
const executing = (node: string): PromptMessage => ({
  type: 'executing',
  data: { node, display_node: node, prompt_id },
});
const executed = (node: string): PromptMessage =>
  ({
    type: 'executed',
    data: { node, display_node: node, prompt_id, output: {} },
  }) as PromptMessage;
const step = (node: string, value: number, max: number): PromptMessage => ({
  type: 'progress',
  data: { value, max, node, prompt_id },
});

function feed(graph: ApiWorkflow, messages: PromptMessage[]) {
  const tracker = new ImageProgressInterpreter().track(graph);
  let now = 0;
  return {
    tracker,
    seen: messages.map((message) => tracker.onMessage(message, (now += 10)) ?? tracker.current()),
  };
}

describe('ImageProgressInterpreter', () => {
  it('reads the steps of SamplerCustomAdvanced from the scheduler its sigmas come from', () => {
    const graph = loadTemplate('flux');
    graph['17']!.inputs['steps'] = 4;
    expect(stepWeightedView(graph)['13']?.inputs['steps']).toBe(4);
    expect(graph['13']?.inputs['steps']).toBeUndefined();
    const { seen } = feed(graph, [
      executing('13'),
      step('13', 1, 4),
      step('13', 2, 4),
      step('13', 4, 4),
    ]);
    expect(seen.map((progress) => progress.fraction)).toEqual([0, 0.95 / 4, 0.95 / 2, 0.95]);
    expect(seen[1]).toMatchObject({
      phase: 'sampling 1/4',
      nodeClass: 'SamplerCustomAdvanced',
      step: 1,
      stepTotal: 4,
    });
  });

  it('does not weigh KSamplerSelect as a sampler: the bar stays at 0 until the first real step', () => {
    const graph = loadTemplate('flux');
    graph['17']!.inputs['steps'] = 4;
    const order = ['10', '11', '12', '6', '26', '27', '25', '16', '17', '22'];
    const { seen } = feed(graph, [...order.map(executing), executing('13'), step('13', 1, 4)]);
    expect(seen.slice(0, order.length + 1).every((progress) => progress.fraction === 0)).toBe(true);
    expect(seen[order.indexOf('16')]).toMatchObject({
      nodeClass: 'KSamplerSelect',
      phase: 'preparing',
    });
    expect(seen.at(-1)?.fraction).toBeCloseTo(0.95 / 4, 5);
  });

  it('leaves graphs whose samplers declare their steps as they are', () => {
    const graph = loadTemplate('txt2img');
    expect(stepWeightedView(graph)).toBe(graph);
    expect(stepWeightedView(loadTemplate('hires'))['11']?.inputs['steps']).toBe(12);
  });

  it('names the phases core does not know and keeps the bar below 1 until complete()', () => {
    const graph = loadTemplate('upscale');
    const { seen, tracker } = feed(graph, [
      executing('10'),
      executing('11'),
      executing('12'),
      step('12', 1, 4),
      step('12', 4, 4),
      executing('13'),
      executed('13'),
      executing('9'),
    ]);
    expect(seen.map((progress) => progress.phase)).toEqual([
      'loading image',
      'loading model',
      'upscaling',
      'upscaling 1/4',
      'upscaling 4/4',
      'resizing',
      'resizing',
      'saving',
    ]);
    const fractions = seen.map((progress) => progress.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[4]).toBeCloseTo(0.7, 5);
    expect(fractions.at(-1)).toBeLessThan(1);
    expect(tracker.complete()).toMatchObject({ fraction: 1, phase: 'done' });
  });

  it('gives an upscale that reports no tiles a moving bar through its tail nodes', () => {
    const { seen } = feed(loadTemplate('upscale'), [
      executing('12'),
      executing('13'),
      executing('9'),
    ]);
    expect(seen.map((progress) => progress.fraction)).toEqual([0, 0.15, 0.3]);
  });

  it('names the Flux helper nodes', () => {
    const { seen } = feed(loadTemplate('flux'), [
      executing('25'),
      executing('16'),
      executing('17'),
      executing('22'),
      executing('26'),
    ]);
    expect(seen.map((progress) => progress.phase)).toEqual([
      'preparing',
      'preparing',
      'preparing',
      'preparing',
      'preparing',
    ]);
  });
});
