import { readJson } from '../http/read-body.js';
import { sendEmpty, sendInternalError, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { isPlainObject } from '../prompt.js';
import { toPyBool, toPyInt } from '../validation/python-values.js';
import type { RouteDeps } from './route-deps.js';

export function registerHistoryRoutes(router: Router, { state }: RouteDeps): void {
  router.add('GET', '/history', ({ url, res }) => {
    const maxItems = url.searchParams.get('max_items');
    const offset = url.searchParams.get('offset');
    const parsedMax = maxItems === null ? undefined : toPyInt(maxItems);
    const parsedOffset = offset === null ? undefined : toPyInt(offset);
    if ((parsedMax && !parsedMax.ok) || (parsedOffset && !parsedOffset.ok))
      return sendInternalError(res);
    const max = parsedMax?.ok ? (parsedMax.value as number) : undefined;
    const start = parsedOffset?.ok ? (parsedOffset.value as number) : -1;
    sendJson(res, 200, state.history.list(max, start));
  });

  router.add('GET', '/history/{prompt_id}', ({ params, res }) => {
    sendJson(res, 200, state.history.get(params['prompt_id'] ?? ''));
  });

  router.add('POST', '/history', async ({ req, res }) => {
    const body = await readJson(req);
    if (isPlainObject(body)) {
      if ('clear' in body && toPyBool(body['clear'])) state.history.clear();
      if (Array.isArray(body['delete']))
        for (const promptId of body['delete']) state.history.delete(promptId);
    }
    sendEmpty(res);
  });
}
