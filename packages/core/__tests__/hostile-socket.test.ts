import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ComfyConnection, type ConnectionState } from '../src/connection/ComfyConnection.js';
import type { ComfyMessage, PreviewImage } from '../src/protocol/messages.js';
import { HostileComfy } from './helpers/hostile/HostileComfy.js';
import { fuzzFrames, type FuzzFrame } from './helpers/hostile/mutate.js';
import { recordingLogger, watchProcess, type LogLine } from './helpers/hostile/observe.js';
import { Rng, SEEDS } from './helpers/hostile/prng.js';
import { realBinaryFrames, realMessages } from './helpers/hostile/samples.js';
import { malformation } from './helpers/hostile/wellFormed.js';

type Seen =
  | { kind: 'message'; message: ComfyMessage }
  | { kind: 'preview'; preview: PreviewImage }
  | { kind: 'log'; line: LogLine };

const MARKER = 'comfyrelay.test.marker';
const isMarker = (message: ComfyMessage) => (message as { type: string }).type === MARKER;
const marker = (i: number) => JSON.stringify({ type: MARKER, data: { i } });

/** Frames a healthy client reads and uses for nothing, without a word: progress_state, event 3 text. */
function silentlyIgnored(frame: FuzzFrame): boolean {
  const data = frame.data;
  if (!frame.binary) {
    const text = Buffer.isBuffer(data) ? data.toString('latin1') : data;
    return /^\{"type": ?"progress_state"/.test(text);
  }
  const bytes = data as Buffer;
  return (
    bytes.length >= 8 && bytes.readUInt32BE(0) === 3 && bytes.readUInt32BE(4) <= bytes.length - 8
  );
}

let server: HostileComfy;
let connection: ComfyConnection;
let watch: ReturnType<typeof watchProcess>;
let seen: Seen[];
let states: ConnectionState[];
const logger = recordingLogger();

beforeEach(async () => {
  watch = watchProcess();
  server = await HostileComfy.start();
  seen = [];
  states = [];
  logger.lines.length = 0;
  const recording = {
    debug: (m: string, c?: Record<string, unknown>) => record('debug', m, c),
    info: (m: string, c?: Record<string, unknown>) => record('info', m, c),
    warn: (m: string, c?: Record<string, unknown>) => record('warn', m, c),
    error: (m: string, c?: Record<string, unknown>) => record('error', m, c),
  };
  function record(level: LogLine['level'], message: string, context?: Record<string, unknown>) {
    logger[level](message, context); // checks each line is short and can be written
    seen.push({ kind: 'log', line: logger.lines[logger.lines.length - 1]! });
  }
  connection = new ComfyConnection({
    baseUrl: server.url,
    clientId: 'hostile-test',
    logger: recording,
    pingIntervalMs: 0,
  });
  connection.on('state', (change) => states.push(change.state));
  connection.on('message', (message) => seen.push({ kind: 'message', message }));
  connection.on('preview', (preview) => seen.push({ kind: 'preview', preview }));
});

afterEach(async () => {
  await connection.stop();
  await server.stop();
  watch.stop();
  expect(watch.crashes).toEqual([]);
  expect(logger.unwritable).toEqual([]);
});

/** Opens the connection and resolves with the server's end of it, once both sides are in step. */
async function opened(): Promise<WebSocket> {
  const socket = server.socket();
  connection.start();
  await connection.waitOpen();
  const serverSide = await socket;
  await sendAndWait(serverSide, -1);
  seen.length = 0;
  return serverSide;
}

/** Sends marker `i` and resolves when the connection emitted it. */
function sendAndWait(socket: WebSocket, i: number): Promise<void> {
  const reached = new Promise<void>((resolve) => {
    const off = connection.on('message', (message) => {
      if (isMarker(message) && (message.data as { i?: number }).i === i) {
        off();
        resolve();
      }
    });
  });
  socket.send(marker(i));
  return reached;
}

describe('a real ComfyConnection against a /ws gone wrong', () => {
  for (const seed of SEEDS.slice(0, 3))
    it(`stays up, emits only well-formed messages and notes each broken frame once (2 000 frames, seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const socket = await opened();
      const frames = fuzzFrames(
        rng,
        2_000,
        realMessages('prompt-a'),
        realBinaryFrames('prompt-a'),
        {
          huge: seed === SEEDS[0],
        },
      );
      frames.forEach((frame, i) => {
        socket.send(frame.data, { binary: frame.binary });
        socket.send(marker(i));
      });
      await sendAndWait(socket, frames.length);

      // Split what the connection did by marker: segment i is what frame i caused.
      const segments: Seen[][] = [[]];
      for (const item of seen) {
        if (item.kind === 'message' && isMarker(item.message)) segments.push([]);
        else segments[segments.length - 1]!.push(item);
      }
      expect(segments.length).toBeGreaterThanOrEqual(frames.length + 1);
      const problems: string[] = [];
      frames.forEach((frame, i) => {
        const caused = segments[i]!;
        const where = `seed ${seed}, frame ${i} (${frame.recipe})`;
        const [what] = caused;
        if (caused.length > 1)
          problems.push(
            `${where} caused ${caused.length} things: ${caused.map((c) => c.kind).join()}`,
          );
        else if (!what) {
          if (!silentlyIgnored(frame)) problems.push(`${where} was dropped without a word`);
        } else if (what.kind === 'message') {
          const wrong = malformation(what.message);
          if (wrong) problems.push(`${where} was emitted malformed: ${wrong}`);
        } else if (what.kind === 'preview') {
          if (what.preview.data.length === 0) problems.push(`${where}: an empty preview`);
        } else if (what.line.level !== 'warn' && what.line.level !== 'debug')
          problems.push(`${where}: logged at ${what.line.level}: ${what.line.message}`);
      });
      expect(problems.slice(0, 5)).toEqual([]);
      // Never a reconnect: garbage is read and dropped, the socket stays.
      expect(states).toEqual(['connecting', 'open']);
      expect(connection.isOpen).toBe(true);
    });

  it('reads on when a listener throws: the error is one warning, the next frame arrives', async () => {
    const socket = await opened();
    const off = connection.on('message', (message) => {
      if (message.type === 'execution_start')
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    socket.send(JSON.stringify({ type: 'execution_start', data: { prompt_id: 'p' } }));
    await sendAndWait(socket, 1);
    off();
    expect(logger.lines.map((line) => [line.level, line.message, line.context])).toEqual([
      [
        'warn',
        'a ComfyUI message could not be handled',
        { error: "Cannot read properties of undefined (reading 'x')" },
      ],
    ]);
    expect(states).toEqual(['connecting', 'open']);
  });

  it('counts a status it cannot read as a status (the socket hears the queue move), and emits nothing for it', async () => {
    const socket = await opened();
    const before = connection.statusesReceived;
    socket.send(
      JSON.stringify({
        type: 'status',
        data: { status: { exec_info: { queue_remaining: 'two' } } },
      }),
    );
    await sendAndWait(socket, 1);
    expect(connection.statusesReceived).toBe(before + 1);
    expect(seen.map((item) => item.kind)).toEqual(['log', 'message']);
  });
});
