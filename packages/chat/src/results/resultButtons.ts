import type { FollowUpAction } from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type { ActionKind } from '../actions/ActionToken.js';
import type { Button, ButtonRow } from '../adapter/ChatAdapter.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';

/** Workflow action ids that have a button of their own. */
const KNOWN_ACTIONS: Readonly<Record<string, ActionKind>> = {
  reroll: 'reroll',
  variations: 'variation',
  'vary-strong': 'vary-strong',
  'vary-subtle': 'vary-subtle',
  upscale: 'upscale',
  animate: 'animate',
};

const FITS_A_TOKEN = /^[a-z0-9_.-]{1,15}$/;

export interface ResultButtonsInput {
  codec: ActionCodec;
  jobId: string;
  /** Images (or videos) the result shows. */
  count: number;
  /** The follow-ups the workflow offers (`definition.actions`). */
  actions: readonly Pick<FollowUpAction, 'id' | 'label'>[];
  /** Add a "parameters" button (when the caption could not hold them). */
  parameters?: boolean;
  /** Buttons per row (default 5, both platforms' limit). */
  perRow?: number;
  wording?: Wording;
}

/**
 * The buttons under a result, Midjourney's way. Several images: U1…Un, V1…Vn (when the
 * workflow offers variations), then 🔄. One image: Vary (Strong/Subtle, or one Vary), Upscale,
 * 🎞 Animate and any other follow-up, then 🔄. Rows of at most five.
 */
export function resultButtons(input: ResultButtonsInput): ButtonRow[] {
  const wording = input.wording ?? englishWording;
  const words = wording.buttons;
  const offered = new Set(input.actions.map((action) => action.id));
  const button = (label: string, action: ActionKind, index = 0, followUp?: string): Button => ({
    label,
    token: input.codec.encode({
      action,
      jobId: input.jobId,
      index,
      ...(followUp !== undefined ? { followUp } : {}),
    }),
  });
  const rows: Button[][] = [];
  const perRow = input.perRow ?? 5;
  const addRows = (buttons: Button[]) => {
    for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  };
  const indexes = [...Array(input.count).keys()];
  const closing: Button[] = [];
  if (offered.has('reroll')) closing.push(button(words.reroll, 'reroll'));
  if (input.parameters) closing.push(button(words.params, 'params'));

  if (input.count > 1) {
    addRows(indexes.map((i) => button(words.pick(i), 'pick', i)));
    if (offered.has('variations'))
      addRows(indexes.map((i) => button(words.variation(i), 'variation', i)));
    addRows(closing);
    return rows;
  }
  const single: Button[] = [];
  if (offered.has('vary-strong')) single.push(button(words.varyStrong, 'vary-strong'));
  if (offered.has('vary-subtle')) single.push(button(words.varySubtle, 'vary-subtle'));
  if (offered.has('variations') && !offered.has('vary-strong') && !offered.has('vary-subtle'))
    single.push(button(words.vary, 'variation'));
  if (offered.has('upscale')) single.push(button(words.upscale, 'upscale'));
  if (offered.has('animate')) single.push(button(words.animate, 'animate'));
  for (const action of input.actions) {
    if (KNOWN_ACTIONS[action.id] === undefined && FITS_A_TOKEN.test(action.id))
      single.push(button(action.label, 'follow-up', 0, action.id));
  }
  addRows(single);
  addRows(closing);
  return rows;
}

/** The workflow action a button runs, for the handler of a press. */
export function workflowActionOf(action: ActionKind, followUp?: string): string | undefined {
  if (action === 'follow-up') return followUp;
  if (action === 'variation') return 'variations';
  return Object.entries(KNOWN_ACTIONS).find(([, kind]) => kind === action)?.[0];
}
