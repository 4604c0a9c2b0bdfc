import type { GenerationLauncher, LaunchOptions } from '../generation/GenerationLauncher.js';
import type { GenerationHandle } from '../generation/GenerationHandle.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { KeepAlive } from '../util/KeepAlive.js';

interface Entry {
  launcher: GenerationLauncher;
  keepAlive: KeepAlive;
  deadlineMs: number;
}

/** Keyed by relay, so the raw path stays off the relay's face (see `submitGraph`). */
const launchers = new WeakMap<object, Entry>();

export function registerLauncher(relay: object, entry: Entry): void {
  launchers.set(relay, entry);
}

export type RawSubmitOptions = Partial<Omit<LaunchOptions, 'graph' | 'definition' | 'values'>>;

/**
 * Queue a raw API-format graph through a relay, bypassing workflow definitions: for protocol
 * tools, test kits and benchmarks only. Frontends run registered workflows (`relay.generate`),
 * so no user graph reaches ComfyUI.
 */
export function submitGraph(
  relay: object,
  graph: ApiWorkflow,
  options: RawSubmitOptions = {},
): Promise<GenerationHandle> {
  const entry = launchers.get(relay);
  if (!entry) throw new TypeError('submitGraph needs a ComfyRelay');
  return entry.keepAlive.during(() =>
    entry.launcher.launch({ deadlineMs: entry.deadlineMs, ...options, graph }),
  );
}
