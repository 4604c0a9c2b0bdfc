import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from '../fake-state.js';
import { ApiError, Errors } from '../http/api-error.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { parseRequestPayload } from '../http/request-payload.js';
import { sendBytes, sendJson, sendNoContent, type HeaderMap } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { MAX_REQUEST_BODY_BYTES } from '../options.js';
import type { RateLimiter, TooManyRequestsRecord } from '../rate-limits/rate-limiter.js';
import type { FailureScript } from './failure-script.js';
import type { RequestRecord } from './request-record.js';
import type { RestResponse, RestRoute } from './rest-route.js';

export interface RestServerParts {
  state: FakeState;
  api: Router<RestRoute>;
  cdn: Router<RestRoute>;
  limiter: RateLimiter;
  failures: FailureScript;
  requests: RequestRecord[];
  tooManyRequests: TooManyRequestsRecord[];
}

/** /api/v10/… and /api/… (taken as v10); undefined for paths outside /api. */
function apiPath(pathname: string): { path: string; supported: boolean } | undefined {
  const match = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  const version = match[1];
  return {
    path: match[2] ?? '/',
    supported: version === undefined || version === '10' || version === '9',
  };
}

function majorParameter(params: Record<string, string>): string {
  if (params['channel']) return params['channel'];
  if (params['guild']) return params['guild'];
  if (params['token']) return `${params['application']}/${params['token']}`;
  return 'global';
}

/** For logs and matchers: '/messages/%40original' reads as '/messages/@original'. */
function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

let nextRequestId = 1;

/** One HTTP request: route, authenticate, scripted faults, rate limits, handler, log. */
export async function serveRest(
  parts: RestServerParts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { state } = parts;
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  const api = apiPath(url.pathname);
  const rawPath = api?.path ?? url.pathname;
  const record: RequestRecord = {
    id: nextRequestId++,
    at: started,
    method,
    path: decodePath(rawPath),
    query: url.search,
    route: undefined,
    bucket: undefined,
    status: 0,
    json: undefined,
    files: [],
    errorCode: undefined,
    durationMs: 0,
  };
  let headers: HeaderMap = {};
  const answer = (response: RestResponse): void => {
    record.status = response.status;
    const allHeaders = { ...headers, ...response.headers };
    if (response.bytes)
      sendBytes(res, response.status, response.bytes.data, response.bytes.contentType, allHeaders);
    else if (response.body === undefined) sendNoContent(res, allHeaders);
    else sendJson(res, response.status, response.body, allHeaders);
  };
  try {
    const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
    if (api && !api.supported) throw Errors.invalidApiVersion();
    const match = (api ? parts.api : parts.cdn).match(method, rawPath);
    if (match === undefined) throw Errors.notFound();
    if (match === 'method-not-allowed') throw Errors.methodNotAllowed();
    const { route, params } = match;
    record.route = route.template;
    record.bucket = route.bucket;
    if (route.auth === 'bot' && !/^Bot /i.test(req.headers.authorization ?? ''))
      throw Errors.unauthorized();
    if (route.auth === 'bot' && req.headers.authorization?.slice(4) !== state.config.token)
      throw Errors.unauthorized();
    const payload = parseRequestPayload(req, body);
    record.json = payload.json;
    record.files = payload.files.map((f) => ({
      field: f.field,
      filename: f.filename,
      size: f.bytes.length,
      contentType: f.contentType,
    }));

    const matchable = { method, path: record.path, route: route.template, bucket: route.bucket };
    const failure = parts.failures.take(matchable);
    if (failure) {
      answer({ status: failure.status, body: failure.body });
      return;
    }
    const decision = parts.limiter.evaluate({
      ...matchable,
      major: majorParameter(params),
      token: route.auth === 'bot' ? state.config.token : undefined,
    });
    headers = decision.headers;
    if (decision.limited) {
      parts.tooManyRequests.push(decision.record);
      state.events.emit('rate-limited', decision.record);
      answer({ status: 429, body: decision.body });
      return;
    }
    answer(
      await route.handle({
        method,
        path: record.path,
        params,
        query: url.searchParams,
        headers: req.headers,
        ...payload,
      }),
    );
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : error instanceof BodyTooLargeError
          ? Errors.entityTooLarge()
          : new ApiError(500, 0, `500: Internal Server Error (fake Discord: ${String(error)})`);
    record.errorCode = apiError.code;
    if (!res.headersSent) answer({ status: apiError.status, body: apiError.body() });
  } finally {
    record.durationMs = Date.now() - started;
    parts.requests.push(record);
    state.events.emit('request', record);
  }
}
