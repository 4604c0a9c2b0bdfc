import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { FaultProxy } from '@comfyrelay/testkit';
import { ExecutionLog } from '../ExecutionLog.js';
import { FractionMatcher } from '../FractionMatcher.js';
import { seededStream } from '../seededRandom.js';

/** One ComfyUI server of the cluster: the simulator, and the proxy the relay talks through. */
export interface ChaosNode {
  readonly name: string;
  readonly sim: ComfySimulator;
  readonly proxy: FaultProxy;
  readonly outputDir: string;
  /** 500s on a fraction of its routes (see {@link ChaosClusterOptions.failRoutes}). */
  readonly failures: FractionMatcher;
  /** Slow answers on a fraction of its routes. */
  readonly delays: FractionMatcher;
  /** False once killed for good. */
  alive: boolean;
}

export interface ChaosClusterOptions {
  names: readonly string[];
  /** Where each simulator keeps its files (they outlive a kill, for the output checks). */
  root: string;
  stepDelayMs: number;
  /** Each server's injected faults draw from their own stream of this seed. */
  seed: number;
  /** Routes (without /api) answered 500 `failRate` of the time. */
  failRoutes: RegExp;
  failRate: number;
  /** Routes answered `slowMs` late `slowRate` of the time. */
  slowRoutes: RegExp;
  slowRate: number;
  slowMs: number;
}

/** What the cluster did to the relay. */
export interface InjectedFaults {
  http500: number;
  slowAnswers: number;
  socketCuts: number;
  halfOpenCuts: number;
  slowPeriods: number;
  restarts: string[];
  kills: string[];
}

/**
 * Simulators, each behind a FaultProxy, with seeded faults: HTTP 500s and slow answers on a
 * fraction of requests (through the simulator's own fault API), WebSocket cuts (optionally
 * half-open), slow links, a restart that loses the queue, a kill for good. Every simulator's
 * prompt runs are recorded in {@link executions}, across restarts and the kill.
 */
export class ChaosCluster {
  readonly executions = new ExecutionLog();
  readonly injected: InjectedFaults = {
    http500: 0,
    slowAnswers: 0,
    socketCuts: 0,
    halfOpenCuts: 0,
    slowPeriods: 0,
    restarts: [],
    kills: [],
  };

  /** Every fault the cluster injected by hand (cuts, slow links, restart, kill), in order. */
  readonly timeline: { at: number; node: string; what: string }[] = [];

  private constructor(readonly nodes: readonly ChaosNode[]) {}

  private note(node: string, what: string): void {
    this.timeline.push({ at: performance.now(), node, what });
  }

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const nodes: ChaosNode[] = [];
    for (const [index, name] of options.names.entries()) {
      const outputDir = join(options.root, name, 'output');
      await mkdir(outputDir, { recursive: true });
      const sim = await ComfySimulator.start({
        port: 0,
        stepDelayMs: options.stepDelayMs,
        previews: false,
        outputDir,
        inputDir: join(options.root, name, 'input'),
        tempDir: join(options.root, name, 'temp'),
      });
      const stream = seededStream(options.seed, 100 + index);
      const random = () => stream.next();
      const failures = new FractionMatcher(options.failRoutes, options.failRate, random);
      const delays = new FractionMatcher(options.slowRoutes, options.slowRate, random);
      sim.faults.failHttp(failures, 500, 'chaos: injected failure');
      sim.faults.delayHttp(delays, options.slowMs);
      const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: sim.port } });
      nodes.push({ name, sim, proxy, outputDir, failures, delays, alive: true });
    }
    const cluster = new ChaosCluster(nodes);
    for (const node of nodes) cluster.executions.watch(node.name, node.sim);
    return cluster;
  }

  node(name: string): ChaosNode {
    const node = this.nodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  alive(): ChaosNode[] {
    return this.nodes.filter((node) => node.alive);
  }

  /** Cut the relay's WebSocket to `name`; with `halfOpenMs`, the server's side lingers (trap 1). */
  cut(name: string, halfOpenMs: number): void {
    const node = this.node(name);
    if (!node.alive) return;
    const cut = node.proxy.cutWebSockets({ halfOpenMs });
    this.note(name, `cut ${cut} socket(s)${halfOpenMs > 0 ? `, half-open ${halfOpenMs} ms` : ''}`);
    this.injected.socketCuts += cut;
    if (halfOpenMs > 0) this.injected.halfOpenCuts += cut;
  }

  slow(name: string, delayMs: number): void {
    this.node(name).proxy.slow({ delayMs });
    this.note(name, `slow link ${delayMs} ms`);
    this.injected.slowPeriods += 1;
  }

  pass(name: string): void {
    this.node(name).proxy.pass();
    this.note(name, 'link back to normal');
  }

  /** Like restarting ComfyUI: same port; what it ran or held is lost (recorded first). */
  async restart(name: string): Promise<{ running: string[]; pending: string[] }> {
    const node = this.node(name);
    const lost = this.executions.losing(name, 'restart');
    this.note(name, 'restart');
    this.injected.restarts.push(name);
    await node.sim.restart();
    return lost;
  }

  /** The server dies for good: its port refuses from now on; what it ran or held is lost. */
  async kill(name: string): Promise<{ running: string[]; pending: string[] }> {
    const node = this.node(name);
    const lost = this.executions.losing(name, 'kill');
    this.note(name, 'killed');
    node.alive = false;
    this.injected.kills.push(name);
    const stopped = node.sim.stop();
    await node.proxy.refuse(true, { dropExisting: true });
    await stopped;
    return lost;
  }

  /** Stop injecting HTTP faults (the proxies' faults stay as they are). */
  calm(): void {
    for (const node of this.nodes) {
      node.failures.fraction = 0;
      node.delays.fraction = 0;
    }
  }

  /** Totals of the faults the simulators injected. */
  count(): InjectedFaults {
    return {
      ...this.injected,
      http500: this.nodes.reduce((sum, node) => sum + node.failures.hits, 0),
      slowAnswers: this.nodes.reduce((sum, node) => sum + node.delays.hits, 0),
    };
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      await node.proxy.stop();
      if (node.alive) await node.sim.stop();
    }
  }
}
