import type { FollowUpAction, WorkflowDefinition } from '@comfyrelay/core';
import {
  animateAction,
  rerollAction,
  upscaleAction,
  variationsAction,
} from './actions/imageActions.js';
import { fluxDefinition } from './definitions/flux.js';
import { hiresDefinition } from './definitions/hires.js';
import type { ImageWorkflowContext } from './definitions/ImageWorkflowContext.js';
import { img2imgDefinition } from './definitions/img2img.js';
import { txt2imgDefinition } from './definitions/txt2img.js';
import { txt2imgLoraDefinition } from './definitions/txt2imgLora.js';
import { upscaleDefinition } from './definitions/upscale.js';
import {
  resolveImageOptions,
  type ImagePluginOptions,
  type ImageWorkflowId,
} from './ImagePluginOptions.js';
import { ImageProgressInterpreter } from './progress/ImageProgressInterpreter.js';

const builders: Record<ImageWorkflowId, (context: ImageWorkflowContext) => WorkflowDefinition> = {
  'image.txt2img': txt2imgDefinition,
  'image.txt2img-lora': txt2imgLoraDefinition,
  'image.flux': fluxDefinition,
  'image.img2img': img2imgDefinition,
  'image.upscale': upscaleDefinition,
  'image.hires': hiresDefinition,
};

/** Workflows whose parameters "variations" can carry into image.img2img (checkpoint models). */
const CHECKPOINT_WORKFLOWS: ReadonlySet<ImageWorkflowId> = new Set([
  'image.txt2img',
  'image.txt2img-lora',
  'image.img2img',
  'image.hires',
]);

/** The image workflow definitions, with the options applied; register them with a relay or inspect them in tests. */
export function createImageWorkflows(options: ImagePluginOptions = {}): WorkflowDefinition[] {
  const resolved = resolveImageOptions(options);
  const enabled = resolved.workflows;
  const actionsFor = (id: ImageWorkflowId): FollowUpAction[] => {
    const actions: FollowUpAction[] = [];
    // An upscale result is not rerolled or varied: there is nothing random in it.
    if (id !== 'image.upscale') actions.push(rerollAction());
    if (CHECKPOINT_WORKFLOWS.has(id) && enabled.has('image.img2img'))
      actions.push(variationsAction(resolved.variationDenoise));
    if (id !== 'image.upscale' && enabled.has('image.upscale')) actions.push(upscaleAction());
    if (resolved.animateWorkflow !== false) actions.push(animateAction(resolved.animateWorkflow));
    return actions;
  };
  const context: ImageWorkflowContext = {
    options: resolved,
    progress: new ImageProgressInterpreter(),
    actionsFor,
  };
  return [...enabled].map((id) => builders[id](context));
}
