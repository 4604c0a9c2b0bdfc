import type { Progress } from '@comfyrelay/core';
import { describeFailure } from '../failures/describeFailure.js';
import { chatFailureOf } from '../failures/chatFailureOf.js';
import { cutOnWord } from '../text/cutOnWord.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import type { JobState } from './JobState.js';
import { progressBar } from './progressBar.js';

export type ProgressStage = 'sending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Everything a progress message shows, as plain text: renderers format and escape it. */
export interface ProgressView {
  stage: ProgressStage;
  /** The prompt (or the title given), cut to fit. */
  title: string;
  /** Who asked, as the platform shows a user ("@ann"). */
  requester?: string;
  /** One line: where it stands, or why it failed. */
  status: string;
  /** `▰▰▰▰▰▱▱▱ 62 %`, while it runs. */
  bar?: string;
  fraction?: number;
  /** `step 12/30`, unless the phase says it already. */
  step?: string;
  /** The interpreter's phase as it said it ("sampling 12/30"). */
  phase?: string;
  /** `1 min 5 s so far`. */
  elapsed?: string;
  /** `about 40 s left`. */
  eta?: string;
  preview?: NonNullable<Progress['preview']>;
}

export interface ProgressViewOptions {
  now: number;
  /** Default: the `prompt` parameter, else the workflow id. */
  title?: string;
  requester?: string;
  /** Longest title, in characters (default 80). */
  titleLength?: number;
  wording?: Wording;
}

/** The view of a job's state at `now`. */
export function buildProgressView(state: JobState, options: ProgressViewOptions): ProgressView {
  const wording = options.wording ?? englishWording;
  const prompt = state.parameters?.['prompt'];
  const title = cutOnWord(
    options.title ??
      (typeof prompt === 'string' && prompt.trim() !== '' ? prompt : (state.workflow ?? '')),
    options.titleLength ?? 80,
  );
  const view: ProgressView = { stage: stageOf(state), title, status: '' };
  if (options.requester !== undefined) view.requester = options.requester;
  if (state.preview) view.preview = state.preview;
  const since = state.startedAt ?? state.createdAt;
  switch (view.stage) {
    case 'sending':
      view.status = wording.sending;
      break;
    case 'queued':
      view.status = wording.queued(state.ahead ?? 0);
      break;
    case 'running': {
      const progress = state.progress;
      view.status = progress ? wording.running(progress.phase) : wording.starting;
      const fraction = Math.min(progress?.fraction ?? 0, 0.99);
      view.fraction = fraction;
      view.bar = `${progressBar(fraction)} ${wording.percent(fraction)}`;
      if (progress?.phase) view.phase = progress.phase;
      const { step, stepTotal } = progress ?? {};
      if (
        step !== undefined &&
        stepTotal !== undefined &&
        !progress?.phase.includes(`${step}/${stepTotal}`)
      )
        view.step = wording.step(step, stepTotal);
      if (progress?.etaMs !== undefined) view.eta = wording.timeLeft(progress.etaMs);
      view.elapsed = wording.elapsed(options.now - since);
      break;
    }
    case 'succeeded':
      view.status = wording.succeeded;
      view.fraction = 1;
      view.bar = `${progressBar(1)} ${wording.percent(1)}`;
      view.elapsed = wording.duration((state.finishedAt ?? options.now) - since);
      break;
    case 'failed':
      view.status = describeFailure(
        chatFailureOf(state.error ?? { code: 'internal', message: 'the generation failed' }),
        wording,
      ).text;
      break;
    case 'cancelled':
      view.status = wording.cancelled;
      break;
  }
  return view;
}

function stageOf(state: JobState): ProgressStage {
  switch (state.status) {
    case 'submitted':
      return 'sending';
    case 'running':
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      return state.status;
    default:
      // 'queued', and any way of waiting core may add (its own fair queue).
      return 'queued';
  }
}
