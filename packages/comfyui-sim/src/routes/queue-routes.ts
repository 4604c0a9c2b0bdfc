import { readBody, readJson } from '../http/read-body.js';
import { sendEmpty, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { isPlainObject } from '../prompt.js';
import { queueItemJson } from '../queue/queue-item.js';
import { toPyBool } from '../validation/python-values.js';
import type { RouteDeps } from './route-deps.js';

export function registerQueueRoutes(router: Router, { state }: RouteDeps): void {
  router.add('GET', '/queue', ({ res }) => {
    // ComfyUI returns its heap array, which is not in run order; reversing it makes sure no
    // client gets away without sorting by item[0].
    sendJson(res, 200, {
      queue_running: state.queue.runningItems().map(queueItemJson),
      queue_pending: state.queue.pendingItems().reverse().map(queueItemJson),
    });
  });

  router.add('POST', '/queue', async ({ req, res }) => {
    const body = await readJson(req);
    if (isPlainObject(body)) {
      if ('clear' in body && toPyBool(body['clear'])) state.queue.wipe();
      if (Array.isArray(body['delete']))
        for (const promptId of body['delete']) state.queue.deletePending(promptId);
    }
    sendEmpty(res);
  });

  router.add('POST', '/interrupt', async ({ req, res }) => {
    let body: unknown = {};
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      body = {};
    }
    const promptId = isPlainObject(body) ? body['prompt_id'] : undefined;
    if (promptId) state.worker.interrupt(promptId);
    else state.worker.interrupt();
    sendEmpty(res);
  });

  router.add('POST', '/free', async ({ req, res }) => {
    await readBody(req);
    sendEmpty(res);
  });
}
