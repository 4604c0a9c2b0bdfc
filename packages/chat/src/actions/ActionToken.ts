/**
 * The follow-ups a button can ask for. `pick` is Midjourney's U-k (one image of a grid on its
 * own); `upscale` is the workflow's upscale action; `follow-up` names any other action a
 * workflow offers.
 */
export const ACTION_KINDS = [
  'reroll',
  'variation',
  'pick',
  'vary-strong',
  'vary-subtle',
  'upscale',
  'animate',
  'cancel',
  'delete',
  'params',
  'follow-up',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

/** What a button carries. */
export interface ActionToken {
  action: ActionKind;
  /** The job (a generation id: a UUID). */
  jobId: string;
  /** Which image of the result (0-based), for U-k, V-k and single-image actions. */
  index: number;
  /** The workflow action id, for `follow-up`. */
  followUp?: string;
  /** When the button was made (ms since the epoch, whole seconds). */
  issuedAt: number;
}

export type ActionTokenProblem = 'unknown' | 'expired' | 'garbled';

/** A decoded button: the token, or why it cannot be used, with the message to answer. */
export type DecodedAction =
  { ok: true; token: ActionToken } | { ok: false; problem: ActionTokenProblem; message: string };
