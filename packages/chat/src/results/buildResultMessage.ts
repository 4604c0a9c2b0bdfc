import type { GenerationOutput, GenerationRecord, WorkflowDefinition } from '@comfyrelay/core';
import type { ActionCodec } from '../actions/ActionCodec.js';
import type { OutgoingFile, OutgoingMessage, TextRules } from '../adapter/ChatAdapter.js';
import { fitOutput, type FitOptions } from '../delivery/fitOutput.js';
import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import { composeGrid } from './composeGrid.js';
import { resultButtons } from './resultButtons.js';
import { resultCaption } from './resultCaption.js';

export interface ResultMessageInput {
  /** Reads an output's bytes (`relay.readOutput`). */
  readOutput(output: GenerationOutput): Promise<Uint8Array>;
  record: GenerationRecord;
  /** The workflow that made it: its actions become buttons, its defaults stay out of the caption. */
  definition?: Pick<WorkflowDefinition, 'actions' | 'parameters'>;
  rules: TextRules;
  uploadLimit: number;
  codec: ActionCodec;
  requester?: string;
  wording?: Wording;
  fit?: FitOptions;
}

/**
 * A finished generation as one message: its images as one grid (or its one image, or its
 * video) fitted to the upload limit, the caption with prompt, seed and parameters, and the
 * buttons of its follow-ups. A file that cannot be made small enough is replaced by a sentence
 * saying so; the buttons stay.
 */
export async function buildResultMessage(input: ResultMessageInput): Promise<OutgoingMessage> {
  const wording = input.wording ?? englishWording;
  const outputs = input.record.outputs ?? [];
  const images = outputs.filter((output) => output.kind === 'image');
  const shown = images.length > 0 ? images : outputs.slice(0, 1);
  const file = await fileFor(input, shown);
  const caption = resultCaption({
    parameters: input.record.parameters ?? {},
    ...(input.definition ? { specs: input.definition.parameters } : {}),
    ...(input.requester !== undefined ? { requester: input.requester } : {}),
    markup: input.rules.markup,
    maxLength: input.rules.maxCaptionLength,
    wording,
  });
  const buttons = resultButtons({
    codec: input.codec,
    jobId: input.record.id,
    count: shown.length,
    actions: input.definition?.actions ?? [],
    parameters: !caption.parametersShown,
    perRow: input.rules.maxButtonsPerRow,
    wording,
  }).slice(0, input.rules.maxButtonRows);
  if ('refused' in file) return { text: `${caption.text}\n${file.refused}`, buttons };
  return { text: caption.text, files: [file], buttons };
}

async function fileFor(
  input: ResultMessageInput,
  outputs: readonly GenerationOutput[],
): Promise<OutgoingFile | { refused: string }> {
  const first = outputs[0];
  const wording = input.wording ?? englishWording;
  if (!first) return { refused: wording.failure({ code: 'no-outputs' }) };
  const originals = await Promise.all(outputs.map((output) => input.readOutput(output)));
  const source =
    originals.length > 1
      ? { data: (await composeGrid(originals)).data, mime: 'image/png' }
      : { data: originals[0]!, mime: first.mime };
  const fitted = await fitOutput(source, input.uploadLimit, { wording, ...input.fit });
  if (!fitted.ok) return { refused: fitted.message };
  const name = originals.length > 1 ? 'grid' : first.file.filename.replace(/\.[^.]*$/, '');
  return {
    data: fitted.data,
    mime: fitted.mime,
    filename: `${name}.${fitted.extension}`,
    kind: FILE_KINDS[first.kind],
  };
}

const FILE_KINDS: Record<GenerationOutput['kind'], OutgoingFile['kind']> = {
  image: 'image',
  'animated-image': 'animation',
  video: 'video',
};
