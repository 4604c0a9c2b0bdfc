import { describe, expect, it } from 'vitest';
import { StepWeightedInterpreter } from '../src/progress/StepWeightedInterpreter.js';
import type { ApiWorkflow } from '../src/protocol/graph.js';
import type { PromptMessage } from '../src/protocol/messages.js';

const id = 'p';
const executing = (node: string): PromptMessage => ({
  type: 'executing',
  data: { node, display_node: node, prompt_id: id },
});
const step = (node: string, value: number, max: number): PromptMessage => ({
  type: 'progress',
  data: { value, max, node, prompt_id: id },
});

const twoPass: ApiWorkflow = {
  '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a' } },
  '3': { class_type: 'KSampler', inputs: { steps: 30 } },
  '8': { class_type: 'KSampler', inputs: { steps: 10 } },
  '9': { class_type: 'VAEDecode', inputs: {} },
  '10': { class_type: 'SaveImage', inputs: {} },
};

function run(graph: ApiWorkflow, messages: PromptMessage[]) {
  const tracker = new StepWeightedInterpreter().track(graph);
  let now = 0;
  const seen = messages.map((m) => tracker.onMessage(m, (now += 100)) ?? tracker.current());
  return { tracker, seen };
}

describe('StepWeightedInterpreter', () => {
  it('weights every sampling node by its steps and names the phase', () => {
    const messages: PromptMessage[] = [executing('1'), executing('3')];
    for (let s = 1; s <= 30; s++) messages.push(step('3', s, 30));
    messages.push(executing('8'));
    for (let s = 1; s <= 10; s++) messages.push(step('8', s, 10));
    messages.push(executing('9'), executing('10'));
    const { seen, tracker } = run(twoPass, messages);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(seen[0]?.phase).toBe('loading model');
    // After the 30-step first pass: 30 of 40 steps, less the tail share.
    const afterFirst = seen[2 + 29];
    expect(afterFirst?.phase).toBe('sampling 30/30');
    expect(afterFirst?.fraction).toBeCloseTo((30 / 40) * 0.95, 5);
    expect(seen.at(-2)?.phase).toBe('decoding');
    expect(Math.max(...fractions)).toBeLessThan(1);
    expect(tracker.complete().fraction).toBe(1);
  });

  it('counts cached nodes as done', () => {
    const { seen } = run(twoPass, [
      { type: 'execution_cached', data: { prompt_id: id, nodes: ['1', '3'] } },
      executing('8'),
    ]);
    expect(seen[0]?.fraction).toBeCloseTo((30 / 40) * 0.95, 5);
  });

  it('adopts nodes that report progress without being known samplers', () => {
    const graph: ApiWorkflow = {
      '1': { class_type: 'TestProgressNode', inputs: { steps: 4 } },
      '2': { class_type: 'SaveImage', inputs: {} },
    };
    const { seen } = run(graph, [
      executing('1'),
      step('1', 1, 4),
      step('1', 2, 4),
      step('1', 4, 4),
      executing('2'),
    ]);
    expect(seen.map((p) => p.step)).toEqual([undefined, 1, 2, 4, undefined]);
    expect(seen[2]?.fraction).toBeGreaterThan(seen[1]?.fraction ?? 1);
    expect(seen[3]?.fraction).toBeLessThan(1);
  });

  it('estimates the time left from the observed step rate', () => {
    const { seen } = run(twoPass, [
      executing('3'),
      step('3', 1, 30),
      step('3', 2, 30),
      step('3', 3, 30),
    ]);
    // 100 ms per step, 27 + 10 steps left.
    expect(seen[3]?.etaMs).toBe(3_700);
  });
});
