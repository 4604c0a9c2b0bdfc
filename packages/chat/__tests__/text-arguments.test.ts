import type { ParameterSpec } from '@comfyrelay/core';
import { createImageWorkflows } from '@comfyrelay/plugin-image';
import { describe, expect, it } from 'vitest';
import { ArgumentError, parseTextArguments } from '../src/index.js';

const txt2img = createImageWorkflows().find((d) => d.id === 'image.txt2img')!.parameters;

function refusal(text: string, parameters: readonly ParameterSpec[] = txt2img): ArgumentError {
  try {
    parseTextArguments(text, parameters, { command: 'imagine' });
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return error as ArgumentError;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('text arguments', () => {
  it('read a Midjourney line: free text is the prompt, flags by name or alias', () => {
    expect(
      parseTextArguments('a red fox --ar 16:9 --steps 30 --seed 42 --no blurry, text', txt2img),
    ).toEqual({
      prompt: 'a red fox',
      aspect: '16:9',
      steps: '30',
      seed: '42',
      negative: 'blurry, text',
    });
  });

  it('keep values as text: typing them is the relay’s job', () => {
    expect(parseTextArguments('x --cfg 7.5 --batch-size 2', txt2img)).toEqual({
      prompt: 'x',
      cfg: '7.5',
      batch_size: '2',
    });
  });

  it('take the dashes phones make of "--"', () => {
    expect(parseTextArguments('a fox —ar 3:2 –steps 12', txt2img)).toEqual({
      prompt: 'a fox',
      aspect: '3:2',
      steps: '12',
    });
  });

  it('unquote values in "…", \'…\' and “…”, which may hold flags and dashes', () => {
    expect(
      parseTextArguments(
        '"a fox --ar 1:1" --no \'blurry, text\' --checkpoint “my model.safetensors”',
        txt2img,
      ),
    ).toEqual({
      prompt: 'a fox --ar 1:1',
      negative: 'blurry, text',
      checkpoint: 'my model.safetensors',
    });
  });

  it('treat apostrophes and unclosed quotes as letters', () => {
    expect(parseTextArguments("a fox's tail, 'tis dusk --steps 9", txt2img)).toEqual({
      prompt: "a fox's tail, 'tis dusk",
      steps: '9',
    });
    expect(parseTextArguments('"an open quote --steps 3', txt2img)).toEqual({
      prompt: '"an open quote',
      steps: '3',
    });
  });

  it('read a boolean flag alone as true', () => {
    const parameters: ParameterSpec[] = [
      { name: 'prompt', type: 'string', required: true, bind: { node: '1', input: 'p' } },
      { name: 'hires', type: 'boolean', default: false, bind: { node: '1', input: 'h' } },
      { name: 'tile', type: 'boolean', default: false, bind: { node: '1', input: 't' } },
    ];
    expect(parseTextArguments('a cat --hires --tile off', parameters)).toEqual({
      prompt: 'a cat',
      hires: 'true',
      tile: 'off',
    });
  });

  it('name an unknown option, suggest the near one and list the valid ones', () => {
    const error = refusal('a fox --stesp 30');
    expect(error.message).toBe(
      'unknown option --stesp; did you mean --steps? Options: --no, --ar, --width, --height, --checkpoint, --steps, --cfg, --sampler, --scheduler, --seed, --batch_size',
    );
    expect(error.option).toBe('--stesp');
    expect(error.suggestion).toBe('--steps');
    expect(refusal('a fox --zzz 1').message).toMatch(/^unknown option --zzz; Options: --no, --ar/);
  });

  it('refuse a flag without its value, and a parameter given twice', () => {
    expect(refusal('a fox --steps').message).toBe('--steps needs a value');
    expect(refusal('a fox --no x --negative y').message).toBe('negative is given twice');
    expect(refusal('a fox --prompt a cat').message).toBe('prompt is given twice');
  });

  it('refuse free text where no parameter takes it', () => {
    const upscale = createImageWorkflows().find((d) => d.id === 'image.upscale')!.parameters;
    expect(refusal('make it big', upscale).message).toBe(
      '/imagine takes no free text; use its options: --image, --model, --resize, --resize_method',
    );
    expect(parseTextArguments('--resize 2', upscale)).toEqual({ resize: '2' });
  });

  it('give nothing for nothing', () => {
    expect(parseTextArguments('   ', txt2img)).toEqual({});
  });
});
