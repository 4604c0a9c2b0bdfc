import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { ConsoleContext } from './ConsoleContext.js';
import { errorResponse } from './errorResponse.js';
import { readGenerationRequest, RequestProblem } from './readGenerationRequest.js';

const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const DEFAULT_PAGE = 30;
const MAX_PAGE = 200;

/** Run, cancel and list generations; serve their outputs and latest previews. */
export function generationRoutes(context: ConsoleContext): Hono<ConsoleEnv> {
  const { relay, metrics, generations, logger } = context;
  const routes = new Hono<ConsoleEnv>();

  const fail = (c: Context<ConsoleEnv>, error: unknown): Response => {
    const { status, body } = errorResponse(error);
    if (status === 500) logger.error('console API request failed', { error: String(error) });
    if (body.retryAfterMs !== undefined)
      c.header('Retry-After', String(Math.ceil(body.retryAfterMs / 1000)));
    return c.json(body, status);
  };

  routes.post(
    '/api/generations',
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: (c) =>
        c.json({ error: 'too-large', message: 'The request is larger than 32 MiB.' }, 413),
    }),
    async (c) => {
      try {
        const body: unknown = await c.req.json().catch(() => {
          throw new RequestProblem('The request body is not JSON.');
        });
        const request = readGenerationRequest(body);
        const handle = await relay.generate(request.workflow, request.values, {
          origin: context.origin,
        });
        return c.json({ generation: handle.record() }, 202);
      } catch (error) {
        return fail(c, error);
      }
    },
  );

  routes.delete('/api/generations/:id', async (c) => {
    try {
      const id = c.req.param('id');
      const cancelled = await relay.cancel(id);
      return c.json({ cancelled, generation: await relay.record(id) });
    } catch (error) {
      return fail(c, error);
    }
  });

  routes.get('/api/generations', async (c) => {
    const limit = Math.min(MAX_PAGE, positiveInteger(c.req.query('limit')) ?? DEFAULT_PAGE);
    const before = positiveInteger(c.req.query('before'));
    const finished = c.req.query('finished');
    try {
      const page = await metrics.timeStoreRead('history', () =>
        relay.history({
          limit,
          ...(before !== undefined ? { before } : {}),
          ...(finished === 'true' || finished === 'false' ? { finished: finished === 'true' } : {}),
        }),
      );
      const last = page.at(-1);
      return c.json({
        generations: page,
        // Where the next (older) page starts, while there may be one.
        before: page.length === limit && last ? last.createdAt : null,
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  routes.get('/api/generations/:id', async (c) => {
    const record = await relay.record(c.req.param('id'));
    if (!record)
      return c.json({ error: 'not-found', message: 'There is no such generation.' }, 404);
    return c.json({ generation: record });
  });

  routes.get('/api/generations/:id/outputs/:index', async (c) => {
    const record = await relay.record(c.req.param('id'));
    const output = record?.outputs?.[Number(c.req.param('index'))];
    if (!output) return c.json({ error: 'not-found', message: 'There is no such output.' }, 404);
    try {
      const data = await relay.readOutput(output);
      return c.body(new Uint8Array(data), 200, {
        'Content-Type': output.mime,
        // An output never changes once made.
        'Cache-Control': 'private, max-age=86400, immutable',
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  routes.get('/api/generations/:id/preview', (c) => {
    const preview = generations.preview(c.req.param('id'));
    if (!preview) return c.json({ error: 'not-found', message: 'No preview yet.' }, 404);
    return c.body(new Uint8Array(preview.data), 200, {
      'Content-Type': preview.mime,
      'Cache-Control': 'no-store',
    });
  });

  return routes;
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
