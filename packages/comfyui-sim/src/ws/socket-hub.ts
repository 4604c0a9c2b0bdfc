import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { SimulatorEvents } from '../events.js';
import type { MessageSink, ServerExecState } from '../execution/run-result.js';
import { isPlainObject } from '../prompt.js';
import { pyJson } from '../util/py-json.js';
import type { TypedEmitter } from '../util/typed-emitter.js';

export interface SocketHubHooks {
  queueInfo(): Record<string, unknown>;
  serverState: ServerExecState;
  serverFeatures: Record<string, unknown>;
  events: TypedEmitter<SimulatorEvents>;
}

const FLUSH_TIMEOUT_MS = 100;

interface SocketMetadata {
  featureFlags: Record<string, unknown>;
}

/**
 * ComfyUI's websocket_handler and send(): sockets live in a map keyed by clientId. Faithfully
 * reproduced trap: a second socket with the same clientId replaces the first in the map, and when
 * either closes, the entry for that clientId is deleted, leaving the newer socket deaf.
 */
export class SocketHub implements MessageSink {
  private readonly sockets = new Map<string, WebSocket>();
  private readonly metadata = new Map<string, SocketMetadata>();
  private readonly everySocket = new Set<WebSocket>();
  private readonly lastWrite = new Map<WebSocket, Promise<void>>();

  constructor(private readonly hooks: SocketHubHooks) {}

  attach(ws: WebSocket, requestedClientId: string | null): void {
    const sid = requestedClientId || randomUUID().replaceAll('-', '');
    this.sockets.delete(sid);
    this.metadata.set(sid, { featureFlags: {} });
    this.sockets.set(sid, ws);
    this.everySocket.add(ws);
    let firstMessage = true;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (firstMessage && isPlainObject(message) && message['type'] === 'feature_flags') {
        const entry = this.metadata.get(sid);
        if (entry) entry.featureFlags = isPlainObject(message['data']) ? message['data'] : {};
        this.sendJson('feature_flags', this.hooks.serverFeatures, sid);
      }
      firstMessage = false;
    });
    ws.on('close', () => {
      this.everySocket.delete(ws);
      this.lastWrite.delete(ws);
      this.sockets.delete(sid);
      this.metadata.delete(sid);
      this.hooks.events.emit('ws-close', { clientId: sid });
    });
    ws.on('error', () => undefined);
    this.hooks.events.emit('ws-open', { clientId: sid });
    this.sendJson('status', { status: this.hooks.queueInfo(), sid }, sid);
    const { serverState } = this.hooks;
    if (serverState.clientId === sid && serverState.lastNodeId !== null) {
      this.sendJson('executing', { node: serverState.lastNodeId }, sid);
    }
  }

  sendJson(event: string, data: unknown, sid: unknown = null): void {
    const text = pyJson({ type: event, data });
    for (const ws of this.recipients(sid)) this.write(ws, text);
  }

  sendBinary(frame: Buffer, sid: unknown = null): void {
    for (const ws of this.recipients(sid)) this.write(ws, frame);
  }

  sendStatus(): void {
    this.sendJson('status', { status: this.hooks.queueInfo() });
  }

  supportsPreviewMetadata(sid: unknown): boolean {
    if (typeof sid !== 'string') return false;
    return this.metadata.get(sid)?.featureFlags['supports_preview_metadata'] === true;
  }

  clientIds(): string[] {
    return [...this.sockets.keys()];
  }

  /** Resolves once everything sent so far has been handed to the kernel (bounded, in case a socket dies mid-write). */
  async flushed(): Promise<void> {
    const writes = Promise.all(this.lastWrite.values());
    await Promise.race([writes, new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS))]);
  }

  /** Kills every socket without a close frame, like a crashed server or a cut network. */
  terminateAll(): void {
    for (const ws of this.everySocket) ws.terminate();
  }

  private recipients(sid: unknown): WebSocket[] {
    if (sid === null || sid === undefined) return [...this.sockets.values()];
    const ws = typeof sid === 'string' ? this.sockets.get(sid) : undefined;
    return ws ? [ws] : [];
  }

  private write(ws: WebSocket, payload: string | Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    this.lastWrite.set(ws, new Promise((resolve) => ws.send(payload, () => resolve())));
  }
}
