import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, ENTITY_TOO_LARGE } from '../api/api-error.js';
import type { Answer, Dispatcher } from '../api/dispatcher.js';
import type { FileStore } from '../state/file-store.js';
import { readBody } from './read-body.js';
import { toRequestArgs, type RequestArgs } from './request-args.js';
import { writeJson, writeNotFound } from './respond.js';

export interface ApiServerOptions {
  token: string;
  dispatcher: Dispatcher;
  files: FileStore;
  maxBodyBytes: number;
}

const API_PATH = /^\/bot([^/]*)\/(?:test\/)?([^/]*)$/;
const FILE_PATH = /^\/file\/bot([^/]*)\/(.+)$/;
/** Longer than any long poll, so an idle keep-alive socket is never closed under a client. */
const KEEP_ALIVE_MS = 120_000;

/** Serves `/bot<token>/<method>` and `/file/bot<token>/<path>` over node:http. */
export class ApiServer {
  private readonly server: Server;
  private readonly pollingSockets = new Set<Socket>();

  constructor(private readonly options: ApiServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          writeJson(res, 500, { ok: false, error_code: 500, description: String(error) });
      });
    });
    this.server.keepAliveTimeout = KEEP_ALIVE_MS;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Closes the port and every open connection, idle keep-alive ones included. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Destroys the sockets of every getUpdates request still waiting for its answer. */
  dropPollingConnections(): void {
    for (const socket of this.pollingSockets) socket.destroy();
    this.pollingSockets.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const file = FILE_PATH.exec(url.pathname);
    if (file) return this.serveFile(res, file[1]!, decodeURIComponent(file[2]!));
    const api = API_PATH.exec(url.pathname);
    if (!api) return writeNotFound(res);
    const token = decodeURIComponent(api[1]!);
    const method = api[2]!;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    if (method.toLowerCase() === 'getupdates') this.trackPoll(req.socket, res);
    const answer = await this.answer(req, url, token, method, controller.signal);
    if (answer.status === 0 || res.destroyed) return;
    writeJson(res, answer.status, answer.body);
  }

  private async answer(
    req: IncomingMessage,
    url: URL,
    token: string,
    method: string,
    signal: AbortSignal,
  ): Promise<Answer> {
    const { dispatcher } = this.options;
    const body = await readBody(req, this.options.maxBodyBytes);
    const empty: RequestArgs = { params: {}, uploads: new Map() };
    if ('tooLarge' in body) return dispatcher.recordRefused(method, empty, ENTITY_TOO_LARGE());
    let args: RequestArgs;
    try {
      args = toRequestArgs(url.searchParams, req.headers['content-type'], body.body);
    } catch (error) {
      if (error instanceof ApiError) return dispatcher.recordRefused(method, empty, error);
      throw error;
    }
    if (token !== this.options.token) {
      const description = /^[1-9]\d*:[\w-]+$/.test(token)
        ? 'Unauthorized'
        : 'Unauthorized: invalid token specified';
      return dispatcher.recordRefused(method, args, new ApiError(401, description));
    }
    return dispatcher.dispatch(method, args, signal);
  }

  private trackPoll(socket: Socket, res: ServerResponse): void {
    this.pollingSockets.add(socket);
    res.on('close', () => this.pollingSockets.delete(socket));
  }

  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    const file = token === this.options.token ? this.options.files.getByPath(filePath) : undefined;
    if (!file) return writeNotFound(res);
    res.writeHead(200, {
      'content-type': file.mime_type ?? 'application/octet-stream',
      'content-length': file.bytes.length,
    });
    res.end(file.bytes);
  }
}
