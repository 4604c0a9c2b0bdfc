import { randomUUID } from 'node:crypto';
import { readJson } from '../http/read-body.js';
import { sendInternalError, sendJson } from '../http/respond.js';
import type { HttpContext, Router } from '../http/router.js';
import { isPlainObject, type ApiPrompt } from '../prompt.js';
import type { QueueItem } from '../queue/queue-item.js';
import { pyStr, toPyFloat, toPyBool } from '../validation/python-values.js';
import { validatePrompt } from '../validation/validate-prompt.js';
import { MalformedPromptError } from '../validation/validation-types.js';
import type { RouteDeps } from './route-deps.js';

/** extra_data keys ComfyUI strips before storing a prompt. */
const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

/** Gap between the last WebSocket write and the HTTP write, so the order survives on the client side. */
const RESPONSE_GAP_MS = 2;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function registerPromptRoutes(router: Router, deps: RouteDeps): void {
  router.add('GET', '/prompt', ({ res }) => sendJson(res, 200, deps.state.queueInfo()));
  router.add('POST', '/prompt', (ctx) => postPrompt(ctx, deps));
}

async function postPrompt(
  { req, res }: HttpContext,
  { services, state }: RouteDeps,
): Promise<void> {
  const body = await readJson(req);
  const json = isPlainObject(body) ? body : {};
  let number: number;
  if ('number' in json) {
    const converted = toPyFloat(json['number']);
    if (!converted.ok) return sendInternalError(res);
    number = converted.value as number;
  } else {
    number = toPyBool(json['front']) ? -state.nextNumber : state.nextNumber;
    state.nextNumber++;
  }
  if (!('prompt' in json)) {
    const error = {
      type: 'no_prompt',
      message: 'No prompt provided',
      details: 'No prompt provided',
      extra_info: {},
    };
    return sendJson(res, 400, { error, node_errors: {} });
  }
  const promptId = 'prompt_id' in json ? pyStr(json['prompt_id']) : randomUUID();
  let validation: ReturnType<typeof validatePrompt>;
  try {
    validation = validatePrompt(
      json['prompt'],
      services.registry,
      services.catalog,
      json['partial_execution_targets'],
    );
  } catch (error) {
    if (error instanceof MalformedPromptError) return sendInternalError(res);
    throw error;
  }
  const extraData = 'extra_data' in json ? json['extra_data'] : {};
  if (!isPlainObject(extraData)) return sendInternalError(res);
  if ('client_id' in json) extraData['client_id'] = json['client_id'];
  if (!validation.valid) {
    return sendJson(res, 400, { error: validation.error, node_errors: validation.nodeErrors });
  }
  const sensitive: Record<string, unknown> = {};
  for (const key of SENSITIVE_EXTRA_DATA_KEYS) {
    if (!(key in extraData)) continue;
    sensitive[key] = extraData[key];
    delete extraData[key];
  }
  extraData['create_time'] = Date.now();
  const item: QueueItem = {
    number,
    promptId,
    prompt: json['prompt'] as ApiPrompt,
    extraData,
    outputsToExecute: validation.outputs,
    sensitive,
  };
  const answer = { prompt_id: promptId, number, node_errors: validation.nodeErrors };

  if (services.messagesBeforeResponse) {
    state.queue.put(item);
    services.events.emit('prompt-queued', { promptId, number, prompt: item.prompt });
    await state.worker.kick()?.firstNodeReached;
    await state.hub.flushed();
    await pause(RESPONSE_GAP_MS);
    return sendJson(res, 200, answer);
  }
  state.queue.put(item, false);
  services.events.emit('prompt-queued', { promptId, number, prompt: item.prompt });
  // 'close' also fires when the client hangs up before the answer is out: the prompt must still start.
  res.once('close', () => {
    setTimeout(() => {
      state.hub.sendStatus();
      state.worker.kick();
    }, RESPONSE_GAP_MS);
  });
  sendJson(res, 200, answer);
}
