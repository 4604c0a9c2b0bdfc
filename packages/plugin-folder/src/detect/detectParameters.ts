import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { bindEqualSlots } from './bindEqualSlots.js';
import { buildParameter, type DetectedParameter } from './buildParameter.js';
import { describeNode } from './describeNode.js';
import { findLatentNode } from './findLatentNode.js';
import type { GraphIndex } from './GraphIndex.js';
import { literalSlot, type Slot } from './literalSlot.js';
import { IMAGE_LOADERS, LORA_LOADERS, SIZE_FOLLOWERS, textInputsOf } from './nodeClasses.js';
import { ROLES, type RoleName } from './parameterRoles.js';
import type { SamplerView } from './readSamplers.js';
import { traceConditioning } from './traceConditioning.js';

/**
 * The parameters a chat command needs, found on the common nodes: prompts (told apart by
 * which sampler input they reach), seed, steps, cfg, sampler, scheduler, denoise, size, LoRAs
 * and input images. Only literal inputs are bound: a linked input is never overwritten.
 */
export function detectParameters(
  index: GraphIndex,
  samplers: readonly SamplerView[],
  objectInfo?: ObjectInfo,
): DetectedParameter[] {
  const found: DetectedParameter[] = [];
  const add = (
    name: string,
    role: RoleName,
    slots: readonly Slot[],
    what: string,
    extraNote?: string,
  ) => {
    const grouped = bindEqualSlots(index, slots, what);
    const note = [grouped.note, extraNote].filter(Boolean).join('; ');
    const parameter = buildParameter(
      name,
      ROLES[role],
      grouped.slots,
      objectInfo,
      note || undefined,
    );
    if (parameter) found.push(parameter);
  };
  const fromSamplers = (pick: (sampler: SamplerView) => Slot | undefined) =>
    samplers.map(pick).filter((slot): slot is Slot => slot !== undefined);

  const prompts = promptEncoders(index, samplers, objectInfo);
  add('prompt', 'prompt', textSlots(index, prompts.positive), 'prompt', prompts.note);
  add('negative_prompt', 'negative_prompt', textSlots(index, prompts.negative), 'negative prompt');

  numbered(index.order.filter((id) => IMAGE_LOADERS.has(index.classOf(id) ?? ''))).forEach(
    ([id, n]) => {
      const slot = literalSlot(index.graph, id, 'image');
      if (slot) add(n === 1 ? 'image' : `image_${n}`, 'image', [slot], 'image');
    },
  );

  add(
    'seed',
    'seed',
    fromSamplers((s) => (s.seedUsed ? s.seed : undefined)),
    'seed',
  );
  const steps = fromSamplers((s) => s.steps);
  add('steps', 'steps', steps, 'number of steps', stepsNote(index, samplers, steps[0]?.value));
  add(
    'cfg',
    'cfg',
    fromSamplers((s) => s.cfg),
    'cfg',
  );
  const guidance = index.order
    .filter((id) => index.classOf(id) === 'FluxGuidance')
    .map((id) => literalSlot(index.graph, id, 'guidance'))
    .filter((slot): slot is Slot => slot !== undefined);
  add('guidance', 'guidance', guidance, 'guidance');
  add(
    'sampler',
    'sampler',
    fromSamplers((s) => s.samplerName),
    'sampler',
  );
  add(
    'scheduler',
    'scheduler',
    fromSamplers((s) => s.scheduler),
    'scheduler',
  );
  add(
    'denoise',
    'denoise',
    fromSamplers((s) =>
      typeof s.denoise?.value === 'number' && s.denoise.value < 1 ? s.denoise : undefined,
    ),
    'denoise',
  );

  const latent = findLatentNode(index, samplers);
  if (latent) {
    for (const side of ['width', 'height'] as const) {
      const slot = literalSlot(index.graph, latent, side);
      if (!slot) continue;
      const followers = index.order
        .filter((id) => SIZE_FOLLOWERS.has(index.classOf(id) ?? ''))
        .map((id) => literalSlot(index.graph, id, side))
        .filter((s): s is Slot => s !== undefined && s.value === slot.value);
      add(side, side, [slot, ...followers], side);
    }
    for (const name of ['batch_size', 'length'] as const) {
      const slot = literalSlot(index.graph, latent, name);
      if (slot) add(name, name, [slot], name);
    }
  }

  numbered(index.order.filter((id) => LORA_LOADERS.has(index.classOf(id) ?? ''))).forEach(
    ([id, n]) => {
      const prefix = n === 1 ? 'lora' : `lora_${n}`;
      const name = literalSlot(index.graph, id, 'lora_name');
      if (name) add(prefix, 'lora', [name], 'LoRA');
      const model = literalSlot(index.graph, id, 'strength_model');
      const clip = literalSlot(index.graph, id, 'strength_clip');
      if (model)
        add(`${prefix}_strength`, 'lora_strength', clip ? [model, clip] : [model], 'strength');
    },
  );
  return found;
}

/** Encoders reaching the samplers' positive and negative inputs, first sampler first. */
function promptEncoders(
  index: GraphIndex,
  samplers: readonly SamplerView[],
  objectInfo?: ObjectInfo,
) {
  const positive: string[] = [];
  const negative: string[] = [];
  for (const sampler of samplers) {
    for (const id of traceConditioning(index, sampler.positive, objectInfo).encoders)
      if (!positive.includes(id)) positive.push(id);
    for (const id of traceConditioning(index, sampler.negative, objectInfo).encoders)
      if (!negative.includes(id)) negative.push(id);
  }
  const both = negative.filter((id) => positive.includes(id));
  const note =
    both.length > 0
      ? `${both.map((id) => describeNode(id, index.node(id))).join(', ')} feeds both the positive and the negative input; it is taken as the prompt`
      : undefined;
  return { positive, negative: negative.filter((id) => !positive.includes(id)), note };
}

function textSlots(index: GraphIndex, encoders: readonly string[]): Slot[] {
  return encoders.flatMap((id) => {
    const node = index.node(id);
    if (!node) return [];
    return (textInputsOf(node.class_type, node.inputs) ?? [])
      .map((input) => literalSlot(index.graph, id, input))
      .filter((slot): slot is Slot => slot !== undefined && typeof slot.value === 'string');
  });
}

/** KSamplerAdvanced pairs (base + refiner) split the steps between them: say that the split does not move. */
function stepsNote(
  index: GraphIndex,
  samplers: readonly SamplerView[],
  steps: Slot['value'] | undefined,
): string | undefined {
  if (typeof steps !== 'number') return undefined;
  const split = samplers.filter(
    (s) =>
      (s.startAtStep !== undefined && s.startAtStep > 0) ||
      (s.endAtStep !== undefined && s.endAtStep < steps),
  );
  if (split.length === 0) return undefined;
  const ranges = split.map((s) => {
    const end = s.endAtStep !== undefined && s.endAtStep < steps ? String(s.endAtStep) : 'the end';
    return `${describeNode(s.node, index.node(s.node))} runs steps ${s.startAtStep ?? 0} to ${end}`;
  });
  return `start and end steps stay as exported: ${ranges.join(', ')}`;
}

function numbered(ids: readonly string[]): [string, number][] {
  return ids.map((id, i) => [id, i + 1]);
}
