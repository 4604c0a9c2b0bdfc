import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiWorkflow } from '@comfyrelay/core';
import type {
  FakeCommand,
  FakeReply,
  ServerStats,
  StreamReport,
  WriteMode,
} from './fakeProtocol.js';
import { acceptUpgrade, RawPeer, textFrame } from './rawWebSocket.js';
import {
  objectInfo,
  OUTPUT_NODE,
  outputFileName,
  promptParts,
  statusMessage,
  txt2imgGraph,
} from './workload.js';

/**
 * A fake ComfyUI in its own process (so it does not share the measuring thread): the HTTP
 * routes a client needs (POST /prompt, GET /queue, GET /history[/{id}], GET /prompt,
 * /system_stats, /object_info …) and `/ws`, over which it streams each queued prompt's
 * messages on command. Every prompt's frames are encoded when it is queued, so streaming is
 * a handful of socket writes per prompt.
 */
interface QueuedPrompt {
  id: string;
  number: number;
  clientId: string;
  graph: ApiWorkflow;
  /** Encoded frames: up to halfway, the rest up to its end, both, the trailing `executing null`. */
  start: Buffer[];
  rest: Buffer[];
  head: Buffer[];
  tail: Buffer[];
  failed: boolean;
  state: 'pending' | 'halfway' | 'running' | 'done';
  timestamp: number;
}

let withStatus = false;
let failing = false;
let statusOnEnqueue = false;
let writes: WriteMode = 'bulk';
let nextNumber = 0;
const prompts: QueuedPrompt[] = [];
const byId = new Map<string, QueuedPrompt>();
const peers = new Map<string, RawPeer>();
const requests: Record<string, number> = {};
let queuedWaiters: { count: number; resolve: () => void }[] = [];

/** A part's frames: one buffer in bulk mode, one per message otherwise. */
function frames(messages: unknown[]): Buffer[] {
  const encoded = messages.map((message) => textFrame(JSON.stringify(message)));
  return writes === 'bulk' ? [Buffer.concat(encoded)] : encoded;
}

function queuePrompt(id: string, clientId: string, graph: ApiWorkflow): QueuedPrompt {
  const timestamp = Date.now();
  const { start, rest, tail } = promptParts(id, failing, timestamp);
  const prompt: QueuedPrompt = {
    id,
    number: nextNumber++,
    clientId,
    graph,
    start: frames(start),
    rest: frames(rest),
    head: frames([...start, ...rest]),
    tail: frames(tail),
    failed: failing,
    state: 'pending',
    timestamp,
  };
  prompts.push(prompt);
  byId.set(id, prompt);
  queuedWaiters = queuedWaiters.filter((waiter) => {
    if (prompts.length < waiter.count) return true;
    waiter.resolve();
    return false;
  });
  return prompt;
}

function remaining(): number {
  let count = 0;
  for (const prompt of prompts) if (prompt.state !== 'done') count++;
  return count;
}

async function drained(peer: RawPeer): Promise<true> {
  await peer.drained();
  return true;
}

/** Writes frames; false once the socket wants draining. */
function writeAll(peer: RawPeer, parts: Buffer[], counts: { bytes: number }): boolean {
  let ok = true;
  for (const frame of parts) {
    ok = peer.write(frame) && ok;
    counts.bytes += frame.length;
  }
  return ok;
}

async function stream(halfway: boolean): Promise<StreamReport> {
  const started = performance.now();
  const counts = { bytes: 0 };
  let orphaned = 0;
  let count = 0;
  const todo = prompts.filter(
    (prompt) => prompt.state === 'pending' || (!halfway && prompt.state === 'halfway'),
  );
  let left = remaining();
  for (const prompt of todo) {
    const peer = peers.get(prompt.clientId);
    const wasPending = prompt.state === 'pending';
    if (!halfway) left -= 1;
    if (!peer || peer.closed) {
      orphaned++;
      prompt.state = 'done';
      continue;
    }
    prompt.state = halfway ? 'halfway' : 'running';
    const head = halfway ? prompt.start : wasPending ? prompt.head : prompt.rest;
    const parts = [
      ...head,
      // Real ComfyUI sends `status` to every socket; here every client has its own run.
      ...(!halfway && withStatus ? [textFrame(JSON.stringify(statusMessage(left)))] : []),
      ...(halfway ? [] : prompt.tail),
    ];
    let ok = true;
    if (writes === 'per-message') {
      for (const frame of parts) {
        if (!writeAll(peer, [frame], counts)) ok = await drained(peer);
      }
    } else {
      ok = writeAll(peer, parts, counts);
    }
    count++;
    if (!halfway) prompt.state = 'done';
    if (!ok) await peer.drained();
  }
  return { prompts: count, bytes: counts.bytes, ms: performance.now() - started, orphaned };
}

/** As if ComfyUI finished everything while our socket was down: history has them, the socket is cut. */
function vanish(): number {
  let finished = 0;
  for (const prompt of prompts) {
    if (prompt.state === 'done') continue;
    prompt.state = 'done';
    finished++;
  }
  for (const peer of [...peers.values()]) peer.close();
  return finished;
}

function queueItem(prompt: QueuedPrompt): unknown[] {
  return [
    prompt.number,
    prompt.id,
    prompt.graph,
    { client_id: prompt.clientId, create_time: prompt.timestamp },
    [OUTPUT_NODE],
  ];
}

function historyEntry(prompt: QueuedPrompt): unknown {
  const end = prompt.failed
    ? ['execution_error', { prompt_id: prompt.id, node_id: '3', node_type: 'KSampler' }]
    : ['execution_success', { prompt_id: prompt.id, timestamp: prompt.timestamp + 1 }];
  return {
    prompt: queueItem(prompt),
    outputs: prompt.failed
      ? {}
      : {
          [OUTPUT_NODE]: {
            images: [{ filename: outputFileName(prompt.id), subfolder: '', type: 'output' }],
          },
        },
    status: {
      status_str: prompt.failed ? 'error' : 'success',
      completed: !prompt.failed,
      messages: [
        ['execution_start', { prompt_id: prompt.id, timestamp: prompt.timestamp }],
        [
          'execution_cached',
          { nodes: ['4', '5', '6', '7'], prompt_id: prompt.id, timestamp: prompt.timestamp },
        ],
        end,
      ],
    },
    meta: {
      [OUTPUT_NODE]: {
        node_id: OUTPUT_NODE,
        display_node: OUTPUT_NODE,
        parent_node: null,
        real_node_id: OUTPUT_NODE,
      },
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const path = url.pathname.replace(/^\/api(?=\/)/, '');
  const method = req.method ?? 'GET';
  const route = path.startsWith('/history/')
    ? '/history/{id}'
    : path.startsWith('/object_info')
      ? '/object_info'
      : path;
  const key = `${method} ${route}`;
  requests[key] = (requests[key] ?? 0) + 1;

  if (method === 'POST' && path === '/prompt') {
    let body: { prompt?: ApiWorkflow; client_id?: string; prompt_id?: string };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      res.writeHead(500).end('malformed JSON');
      return;
    }
    if (!body.prompt) {
      sendJson(res, 400, {
        error: { type: 'no_prompt', message: 'No prompt provided', details: '', extra_info: {} },
        node_errors: {},
      });
      return;
    }
    const id = body.prompt_id ?? randomUUID();
    const prompt = queuePrompt(id, body.client_id ?? '', body.prompt);
    sendJson(res, 200, { prompt_id: id, number: prompt.number, node_errors: {} });
    if (statusOnEnqueue)
      peers.get(prompt.clientId)?.write(textFrame(JSON.stringify(statusMessage(remaining()))));
    return;
  }
  if (method === 'GET' && path === '/queue') {
    const running: unknown[] = [];
    const pending: unknown[] = [];
    for (const prompt of prompts) {
      if (prompt.state === 'running' || prompt.state === 'halfway') running.push(queueItem(prompt));
      else if (prompt.state === 'pending') pending.push(queueItem(prompt));
    }
    sendJson(res, 200, { queue_running: running, queue_pending: pending });
    return;
  }
  if (method === 'GET' && path === '/history') {
    // As ComfyUI: the most recent `max_items` finished prompts (here they finish in queue order).
    const max = Number(url.searchParams.get('max_items') ?? Infinity);
    const recent: Record<string, unknown> = {};
    const done = prompts.filter((prompt) => prompt.state === 'done');
    for (const prompt of done.slice(Math.max(0, done.length - max)))
      recent[prompt.id] = historyEntry(prompt);
    sendJson(res, 200, recent);
    return;
  }
  if (method === 'GET' && path.startsWith('/history/')) {
    const id = decodeURIComponent(path.slice('/history/'.length));
    const prompt = byId.get(id);
    sendJson(res, 200, prompt && prompt.state === 'done' ? { [id]: historyEntry(prompt) } : {});
    return;
  }
  if (method === 'GET' && path === '/prompt') {
    sendJson(res, 200, { exec_info: { queue_remaining: remaining() } });
    return;
  }
  if (method === 'GET' && path === '/system_stats') {
    sendJson(res, 200, {
      system: {
        os: 'posix',
        python_version: '3.12.3',
        comfyui_version: '0.8.0',
        embedded_python: false,
      },
      devices: [{ name: 'cpu', type: 'cpu', index: null, vram_total: 0, vram_free: 0 }],
    });
    return;
  }
  if (method === 'GET' && path.startsWith('/object_info')) {
    sendJson(res, 200, objectInfo());
    return;
  }
  if (path === '/internal/logs/subscribe' || path === '/features') {
    sendJson(res, 200, {});
    return;
  }
  sendJson(res, 404, { error: 'not found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) sendJson(res, 500, { error: String(error) });
    else res.destroy();
  });
});
server.keepAliveTimeout = 30_000;
server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
  const clientId = acceptUpgrade(req, socket);
  if (clientId === undefined) return;
  peers.get(clientId)?.close();
  const peer = new RawPeer(socket, clientId, () => {
    if (peers.get(clientId) === peer) peers.delete(clientId);
  });
  peers.set(clientId, peer);
  // Like ComfyUI: the first message on a new socket is `status` with the socket's sid.
  peer.write(textFrame(JSON.stringify(statusMessage(remaining(), clientId))));
});

async function command(message: FakeCommand): Promise<unknown> {
  switch (message.cmd) {
    case 'configure':
      withStatus = message.withStatus;
      writes = message.writes;
      failing = message.failing ?? false;
      statusOnEnqueue = message.statusOnEnqueue ?? false;
      return undefined;
    case 'enqueue':
      for (const [index, id] of message.ids.entries())
        queuePrompt(id, message.clientId, txt2imgGraph(index));
      return undefined;
    case 'arrange': {
      const states = [
        ['pending', message.pending],
        ['halfway', message.running],
        ['done', message.done],
      ] as const;
      let seed = 0;
      for (const [state, ids] of states)
        for (const id of ids) queuePrompt(id, message.clientId, txt2imgGraph(seed++)).state = state;
      return undefined;
    }
    case 'waitQueued':
      if (prompts.length >= message.count) return undefined;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `only ${prompts.length} of ${message.count} prompts were queued after ${message.timeoutMs} ms`,
              ),
            ),
          message.timeoutMs,
        );
        queuedWaiters.push({
          count: message.count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
      return undefined;
    case 'go':
      return stream(message.halfway ?? false);
    case 'vanish':
      return vanish();
    case 'reset':
      prompts.length = 0;
      byId.clear();
      nextNumber = 0;
      for (const key of Object.keys(requests)) delete requests[key];
      return undefined;
    case 'stats': {
      const stats: ServerStats = {
        requests: { ...requests },
        queued: prompts.length,
        sockets: peers.size,
      };
      return stats;
    }
  }
}

process.on('message', (raw) => {
  const { seq, ...message } = raw as FakeCommand & { seq: number };
  command(message as FakeCommand).then(
    (result) => process.send?.({ seq, ok: true, result } satisfies FakeReply),
    (error: unknown) =>
      process.send?.({
        seq,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies FakeReply),
  );
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ ready: true, port });
});
