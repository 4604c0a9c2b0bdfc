import {
  ComfyRelayError,
  ComfyUnreachableError,
  NoBackendAvailableError,
  NotFoundError,
  ParameterError,
  type GenerationFailure,
} from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  chatFailureOf,
  describeFailure,
  type ChatFailureCode,
} from '../src/index.js';

const say = (problem: unknown) => describeFailure(chatFailureOf(problem));

/** One sentence: no line breaks, no JSON, no stack frames, one full stop at the end. */
function expectOneSentence(text: string): void {
  expect(text).not.toMatch(/\n|[{}]|\bat .+:\d+:\d+|Traceback/);
  expect(text).toMatch(/^[A-Z].*[.?!]$/);
}

describe('failures in words', () => {
  const failures: [GenerationFailure, ChatFailureCode, string][] = [
    [
      {
        code: 'validation',
        message:
          'ComfyUI refused the workflow: node 4 (CheckpointLoaderSimple) input "ckpt_name": "x.safetensors" is not one of the installed files',
      },
      'refused',
      'ComfyUI refused this workflow: node 4 (CheckpointLoaderSimple) input "ckpt_name": "x.safetensors" is not one of the installed files.',
    ],
    [
      {
        code: 'execution',
        message: 'KSampler (node 3) failed: CUDA out of memory. Tried to allocate 2.00 GiB',
        node: '3',
        nodeClass: 'KSampler',
      },
      'execution',
      'Your generation failed in KSampler (node 3): CUDA out of memory. Tried to allocate 2.00 GiB.',
    ],
    [
      {
        code: 'interrupted',
        message: 'ComfyUI stopped this generation (it was interrupted on the server).',
        node: '3',
        nodeClass: 'KSampler',
      },
      'interrupted',
      'ComfyUI stopped your generation on the server (at KSampler (node 3)).',
    ],
    [
      {
        code: 'lost',
        message: 'ComfyUI lost this generation (the server restarted or its queue was cleared)',
      },
      'lost',
      'ComfyUI lost your generation (the server restarted or its queue was cleared); please try again.',
    ],
    [
      { code: 'deadline', message: 'This generation took longer than 10 minutes and was stopped.' },
      'deadline',
      'Your generation took too long and was stopped.',
    ],
    [
      {
        code: 'unreachable',
        message:
          'ComfyUI at http://gpu-box:8188 could not be reached for 3 minutes; the generation was given up.',
      },
      'unreachable',
      'ComfyUI could not be reached, so your generation could not finish; please try again later.',
    ],
    [
      { code: 'no-outputs', message: 'ComfyUI finished but produced no output files.' },
      'no-outputs',
      'ComfyUI finished but produced no picture or video.',
    ],
    [
      { code: 'internal', message: 'TypeError: cannot read properties of undefined' },
      'internal',
      'Something went wrong on our side; it was logged and we will look into it.',
    ],
  ];

  it.each(failures)('a failed generation (%j) is one sentence', (failure, code, text) => {
    const described = say(failure);
    expect(chatFailureOf(failure).code).toBe(code);
    expect(described.text).toBe(text);
    expectOneSentence(described.text);
    expect(described.log.fields).toMatchObject({ code, reason: failure.message });
  });

  it('keeps tracebacks and JSON out of the sentence, and in the log', () => {
    const failure: GenerationFailure = {
      code: 'execution',
      message:
        'VAEDecode (node 8) failed: {"error": "bad tensor", "trace": ["a", "b"]}\nTraceback (most recent call last):\n  File "x.py"',
      node: '8',
      nodeClass: 'VAEDecode',
    };
    const described = say(failure);
    expect(described.text).toBe('Your generation failed in VAEDecode (node 8).');
    expect(described.log).toMatchObject({
      level: 'warn',
      fields: { reason: failure.message, node: '8' },
    });
  });

  it('words the errors a request throws before it runs', () => {
    expect(
      say(new ArgumentError('unknown option --stesp; did you mean --steps? Options: --ar, --steps'))
        .text,
    ).toBe('Unknown option --stesp; did you mean --steps? Options: --ar, --steps.');
    const refused = say(
      new ParameterError([{ parameter: 'steps', message: 'steps must be at most 100 (got 500)' }]),
    );
    expect(refused.text).toBe('Please check your options: steps must be at most 100 (got 500).');
    expect(refused.log.level).toBe('info');
    expect(say(new NoBackendAvailableError('every server is down')).text).toBe(
      'No ComfyUI server is available right now; please try again in a moment.',
    );
    expect(say(new ComfyUnreachableError('/prompt', 'timeout')).text).toBe(
      'ComfyUI could not be reached, so your generation could not finish; please try again later.',
    );
    expect(say(new NotFoundError('There is no generation 42')).text).toBe(
      'There is no generation 42.',
    );
    const internal = say(new Error('boom'));
    expect(internal.text).toBe(
      'Something went wrong on our side; it was logged and we will look into it.',
    );
    expect(internal.log.level).toBe('error');
    expect(internal.log.fields['stack']).toMatch(/boom/);
  });

  it('words limits by the shape of their error, so core’s coming limits slot in', () => {
    class QuotaLimitError extends ComfyRelayError {
      readonly retryAfterMs = 120_000;
    }
    const described = say(new QuotaLimitError('you may run 2 generations at once'));
    expect(chatFailureOf(new QuotaLimitError('x')).code).toBe('limits');
    expect(described.text).toBe(
      'You have reached a limit: you may run 2 generations at once; try again in 2 min.',
    );
    const coded = Object.assign(new Error('10 a day'), { code: 'limits' });
    expect(say(coded).text).toBe('You have reached a limit: 10 a day.');
  });

  it('gives every code a sentence', () => {
    const codes: ChatFailureCode[] = [
      'arguments',
      'validation',
      'refused',
      'limits',
      'unavailable',
      'unreachable',
      'deadline',
      'cancelled',
      'interrupted',
      'execution',
      'lost',
      'no-outputs',
      'not-found',
      'too-large',
      'internal',
    ];
    for (const code of codes) expectOneSentence(describeFailure({ code, reason: '' }).text);
  });
});
