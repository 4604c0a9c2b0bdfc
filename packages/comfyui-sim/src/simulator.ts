import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { SimulatorEvents } from './events.js';
import { StepClock } from './execution/step-clock.js';
import { FaultController } from './faults.js';
import { createSimHttpServer, type SimHttpServer } from './http/sim-http-server.js';
import { createCatalog } from './nodes/catalog.js';
import { NodeRegistry } from './nodes/registry.js';
import {
  DEFAULT_CHECKPOINTS,
  DEFAULT_CLIP_VISION,
  DEFAULT_DIFFUSION_MODELS,
  DEFAULT_LORAS,
  DEFAULT_TEXT_ENCODERS,
  DEFAULT_UPSCALE_MODELS,
  DEFAULT_VAES,
  DEFAULT_STEP_DELAY_MS,
  type SimulatorOptions,
} from './options.js';
import { buildRouter } from './routes/index.js';
import type { SimServices } from './services.js';
import { SimState } from './sim-state.js';
import type { SimDirs } from './storage/dirs.js';
import { prepareDirs } from './storage/prepare-dirs.js';
import { TypedEmitter, type Listener } from './util/typed-emitter.js';

export interface QueueSnapshot {
  running: string[];
  /** In the order they will run. */
  pending: string[];
}

/** A ComfyUI server on a real port, faithful to ComfyUI 0.8.0's HTTP and WebSocket protocol. */
export class ComfySimulator {
  readonly faults: FaultController;
  readonly dirs: SimDirs;
  private readonly events = new TypedEmitter<SimulatorEvents>();
  private readonly services: SimServices;
  private readonly host: string;
  private state: SimState;
  private http: SimHttpServer | undefined;
  private boundPort = 0;
  private held = false;

  private constructor(
    options: SimulatorOptions,
    dirs: SimDirs,
    private readonly ownedBaseDir: string | undefined,
  ) {
    this.dirs = dirs;
    this.host = options.host ?? '127.0.0.1';
    this.faults = new FaultController(() => this.state.hub.terminateAll());
    this.services = {
      registry: new NodeRegistry(),
      catalog: createCatalog(
        {
          checkpoints: options.checkpoints ?? DEFAULT_CHECKPOINTS,
          loras: options.loras ?? DEFAULT_LORAS,
          diffusionModels: options.diffusionModels ?? DEFAULT_DIFFUSION_MODELS,
          textEncoders: options.textEncoders ?? DEFAULT_TEXT_ENCODERS,
          vaes: options.vaes ?? DEFAULT_VAES,
          upscaleModels: options.upscaleModels ?? DEFAULT_UPSCALE_MODELS,
          clipVision: options.clipVision ?? DEFAULT_CLIP_VISION,
        },
        dirs,
      ),
      dirs,
      clock: new StepClock(options.stepDelayMs, DEFAULT_STEP_DELAY_MS),
      events: this.events,
      faults: this.faults,
      previews: options.previews ?? true,
      messagesBeforeResponse: options.messagesBeforeResponse ?? true,
      isHeld: () => this.held,
      listenArgs: () => ({ host: this.host, port: this.boundPort }),
    };
    this.state = new SimState(this.services);
  }

  static async start(options: SimulatorOptions = {}): Promise<ComfySimulator> {
    const { dirs, ownedBaseDir } = await prepareDirs(options);
    const simulator = new ComfySimulator(options, dirs, ownedBaseDir);
    try {
      await simulator.listen(options.port ?? 0);
    } catch (error) {
      // The port was taken (or similar): leave no temp folder behind.
      if (ownedBaseDir) await rm(ownedBaseDir, { recursive: true, force: true });
      throw error;
    }
    return simulator;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.host === '0.0.0.0' ? '127.0.0.1' : this.host === '::' ? '::1' : this.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
  }

  on<K extends keyof SimulatorEvents>(event: K, listener: Listener<SimulatorEvents[K]>): this {
    this.events.on(event, listener);
    return this;
  }

  once<K extends keyof SimulatorEvents>(event: K, listener: Listener<SimulatorEvents[K]>): this {
    this.events.once(event, listener);
    return this;
  }

  off<K extends keyof SimulatorEvents>(event: K, listener: Listener<SimulatorEvents[K]>): this {
    this.events.off(event, listener);
    return this;
  }

  /** Resolves with the next `event` payload matching `predicate`; subscribe before triggering it. */
  nextEvent<K extends keyof SimulatorEvents>(
    event: K,
    predicate?: (payload: SimulatorEvents[K]) => boolean,
    timeoutMs?: number,
  ): Promise<SimulatorEvents[K]> {
    return this.events.next(event, predicate, timeoutMs);
  }

  /** Shuts down; output files stay, but a temp dir the simulator created itself is removed. */
  async stop(): Promise<void> {
    await this.shutdown();
    if (this.ownedBaseDir) await rm(this.ownedBaseDir, { recursive: true, force: true });
  }

  /** Like restarting ComfyUI: sockets dropped, queue, history and cache lost, same port; files stay. */
  async restart(): Promise<void> {
    await this.shutdown();
    this.state = new SimState(this.services);
    await this.listen(this.boundPort);
  }

  /** While held, no prompt starts executing; queued prompts stay pending. */
  holdExecution(): void {
    this.held = true;
  }

  releaseExecution(): void {
    this.held = false;
    this.state.worker.kick();
  }

  /** Also applies to steps already waiting, and overrides the harness nodes' own `delay`. */
  setStepDelay(ms: number): void {
    this.services.clock.set(ms);
  }

  queueSnapshot(): QueueSnapshot {
    return {
      running: this.state.queue.runningItems().map((item) => item.promptId),
      pending: this.state.queue.pendingInRunOrder().map((item) => item.promptId),
    };
  }

  /** The clientIds in the server's socket map (a deaf duplicate socket is not listed). */
  connectedClientIds(): string[] {
    return this.state.hub.clientIds();
  }

  private async listen(port: number): Promise<void> {
    const deps = { services: this.services, state: this.state };
    const http = createSimHttpServer(deps, buildRouter(deps));
    await new Promise<void>((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(port, this.host, () => {
        http.server.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    this.boundPort = (http.server.address() as AddressInfo).port;
  }

  private async shutdown(): Promise<void> {
    this.state.dispose();
    const http = this.http;
    this.http = undefined;
    await http?.close();
  }
}
