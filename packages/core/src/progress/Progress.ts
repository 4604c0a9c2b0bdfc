import type { ApiWorkflow } from '../protocol/graph.js';
import type { PreviewImage, PromptMessage } from '../protocol/messages.js';

/** What a frontend shows about a running generation, whatever the workflow. */
export interface Progress {
  /** 0..1 over the whole graph; reaches 1 only when the generation succeeded. */
  fraction: number;
  /** What runs now, in words: "loading model", "sampling 12/30", "decoding". */
  phase: string;
  // The optional fields may hold `undefined`: trackers keep one object shape, which is fast.
  /** Step within the current sampling node. */
  step?: number | undefined;
  stepTotal?: number | undefined;
  /** Node id and class that is running. */
  node?: string | undefined;
  nodeClass?: string | undefined;
  /** Estimated time left, from the observed step rate. */
  etaMs?: number | undefined;
  /** The latest preview image. */
  preview?: PreviewImage | undefined;
}

/** Turns the raw messages of one prompt into {@link Progress} values. One tracker per generation. */
export interface ProgressTracker {
  /** Returns the new progress when the message changed it. */
  onMessage(message: PromptMessage, now: number): Progress | undefined;
  onPreview(preview: PreviewImage, now: number): Progress | undefined;
  /** The progress once the generation succeeded. */
  complete(): Progress;
  current(): Progress;
}

/** Builds a tracker for a graph: workflows bring their own, or use the default one. */
export interface ProgressInterpreter {
  track(graph: ApiWorkflow): ProgressTracker;
}

/**
 * Core's own trackers also take a message without building a {@link Progress} for it: returns
 * whether it changed the progress, which `current()` then builds. A generation publishes only
 * the last progress of each tick, so the others need never be built. Internal: not exported
 * from the package.
 */
export const noteMessage = Symbol('noteMessage');

export interface NotingTracker extends ProgressTracker {
  [noteMessage](message: PromptMessage, now: number): boolean;
}

export function isNotingTracker(tracker: ProgressTracker): tracker is NotingTracker {
  return typeof (tracker as Partial<NotingTracker>)[noteMessage] === 'function';
}
