import type { ChatFailureCode } from '../failures/ChatFailure.js';

/** The parts of a failure a sentence may use; `detail` is already safe to show (one line, no JSON). */
export interface FailureWords {
  code: ChatFailureCode;
  detail?: string | undefined;
  node?: string | undefined;
  nodeClass?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** What the buttons under a result say. */
export interface ButtonWords {
  pick(index: number): string;
  variation(index: number): string;
  reroll: string;
  vary: string;
  varyStrong: string;
  varySubtle: string;
  upscale: string;
  animate: string;
  cancel: string;
  delete: string;
  params: string;
}

/**
 * Every sentence and plural a chat user reads, in one place: a translation is one more object
 * of this shape. Results are plain text: renderers escape and format them.
 */
export interface Wording {
  /** Submitted, not yet on ComfyUI's queue. */
  sending: string;
  /** `ahead` generations before this one, the running ones included. */
  queued(ahead: number): string;
  starting: string;
  /** The interpreter's phase ("sampling 12/30") as a status line. */
  running(phase: string): string;
  succeeded: string;
  cancelled: string;
  step(step: number, total: number): string;
  percent(fraction: number): string;
  timeLeft(ms: number): string;
  /** A duration: "12 s", "1 min 5 s". */
  duration(ms: number): string;
  elapsed(ms: number): string;
  fileSize(bytes: number): string;
  seed(seed: string | number): string;
  /** A sentence for a failure (one line, no stack trace). */
  failure(words: FailureWords): string;
  /** A refused file, in words: its size and the platform's limit. */
  tooLarge(kind: string, bytes: number, limitBytes: number): string;
  /** A picture a user gave is over the limit (`ChatServiceOptions.maxPictureBytes`). */
  pictureTooLarge(name: string | undefined, bytes: number, limitBytes: number): string;
  /** A picture a user gave could not be downloaded from the platform or read. */
  pictureUnreadable(name: string | undefined): string;
  /** Says what follows a recompressed photo: the picture as it was made, as a file. */
  originalAsFile: string;
  buttons: ButtonWords;
  /** What a stale, unknown or garbled button answers. */
  buttonExpired(showCommand: string): string;
  unknownOption(flag: string, suggestion: string | undefined, options: readonly string[]): string;
  missingValue(flag: string): string;
  givenTwice(name: string): string;
  noFreeText(command: string, options: readonly string[]): string;
  /** A chat the bot does not answer in. */
  notHere: string;
  notAllowed: string;
  /** Someone else's job: only its requester or an admin may do that. */
  notYours: string;
  unknownCommand(command: string): string;
  cancelling: string;
  cancelledJob(job: string): string;
  couldNotCancel(job: string): string;
  noSuchJob(job: string): string;
  noJobsOfYours: string;
  showWhich: string;
  /** Image `index` (0-based) of a result, on its own. */
  picked(index: number): string;
  queueSummary(waiting: number, running: number): string;
  statusWord(status: string): string;
  backendLine(id: string, state: string, load: number, ours: number): string;
  noSettings: string;
  yourSettings: string;
  notASetting(flag: string): string;
}
