import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  FakeCommand,
  FakeReady,
  FakeSettings,
  FakeReply,
  ServerStats,
  StreamReport,
} from './fakeProtocol.js';

/** The benchmark's handle on a fake ComfyUI child process. */
export class FakeComfy {
  private seq = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (raw) => {
      const reply = raw as FakeReply;
      const waiter = this.waiting.get(reply.seq);
      if (!waiter) return;
      this.waiting.delete(reply.seq);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`fake ComfyUI exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<FakeComfy> {
    const child = fork(fileURLToPath(new URL('./fakeComfy.js', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('fake ComfyUI did not start within 10 s')),
        10_000,
      );
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve((message as FakeReady).port);
      });
      child.once('exit', (code) => reject(new Error(`fake ComfyUI exited at start (${code})`)));
    });
    return new FakeComfy(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  configure(settings: FakeSettings): Promise<void> {
    return this.send({ cmd: 'configure', ...settings }) as Promise<void>;
  }

  enqueue(clientId: string, ids: string[]): Promise<void> {
    return this.send({ cmd: 'enqueue', clientId, ids }) as Promise<void>;
  }

  /** Prompts waiting, running (halfway) and finished, as `clientId` left them (see FakeCommand). */
  arrange(
    clientId: string,
    prompts: { pending: string[]; running: string[]; done: string[] },
  ): Promise<void> {
    return this.send({ cmd: 'arrange', clientId, ...prompts }) as Promise<void>;
  }

  waitQueued(count: number, timeoutMs = 30_000): Promise<void> {
    return this.send({ cmd: 'waitQueued', count, timeoutMs }) as Promise<void>;
  }

  go(options: { halfway?: boolean } = {}): Promise<StreamReport> {
    return this.send({ cmd: 'go', ...options }) as Promise<StreamReport>;
  }

  /** Finish every unfinished prompt silently and cut every socket; resolves with how many. */
  vanish(): Promise<number> {
    return this.send({ cmd: 'vanish' }) as Promise<number>;
  }

  reset(): Promise<void> {
    return this.send({ cmd: 'reset' }) as Promise<void>;
  }

  stats(): Promise<ServerStats> {
    return this.send({ cmd: 'stats' }) as Promise<ServerStats>;
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private send(command: FakeCommand): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ ...command, seq });
    });
  }
}
