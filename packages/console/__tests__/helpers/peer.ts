import { request } from 'node:http';
import { WebSocket } from 'ws';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Our side's address: a non-loopback one makes the console see a remote peer. */
  localAddress?: string;
}

/** An HTTP request from a chosen local address (fetch cannot choose one). */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

export type UpgradeOutcome =
  | { opened: true; ws: WebSocket; snapshot: { type: string; data: Record<string, unknown> } }
  | { opened: false; status: number };

/** Opens the event stream: its first message (the snapshot), or the status it was refused with. */
export function openEventStream(
  url: string,
  options: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: options.headers ?? {},
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    ws.once('message', (data) => {
      resolve({ opened: true, ws, snapshot: JSON.parse(String(data)) as never });
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode ?? 0 });
      response.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}
