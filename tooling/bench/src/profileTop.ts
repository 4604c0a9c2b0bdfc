import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node dist/profileTop.js <dir> <name prefix> [path filter] [count]`: the functions with the
 * most self time across every `.cpuprofile` in <dir> whose name starts with the prefix (the
 * warm-up stream's, the first of each process, left out, and the profiler's own start and stop),
 * as % of all samples; only those whose file path contains the filter (e.g. `packages/core`)
 * are listed.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const dependency = url.lastIndexOf('/node_modules/');
  if (dependency >= 0) return url.slice(dependency + '/node_modules/'.length);
  const at = url.indexOf('/packages/');
  return at >= 0
    ? url
        .slice(at + 1)
        .replace('/dist/', '/src/')
        .replace(/\.js$/, '.ts')
    : url;
}

/** Nodes under the benchmark's own start/stop of the profiler: not the code measured. */
function profilerFrames(nodes: ProfileNode[]): Set<number> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const inside = new Set<number>();
  const mark = (id: number): void => {
    inside.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const node of nodes) {
    const { functionName, url } = node.callFrame;
    if (url.endsWith('/profile.js') && /^(start|stop)Profile$/.test(functionName)) mark(node.id);
  }
  return inside;
}

function measuredProfiles(dir: string, prefix: string): string[] {
  const byProcess = new Map<string, string[]>();
  for (const file of readdirSync(dir)
    .filter((name) => name.startsWith(`${prefix}-`))
    .sort()) {
    const [, pid, seq] = /-(\d+)-(\d+)\.cpuprofile$/.exec(file) ?? [];
    if (!pid || !seq) continue;
    const list = byProcess.get(pid) ?? [];
    list[Number(seq)] = file;
    byProcess.set(pid, list);
  }
  return [...byProcess.values()].flatMap((list) => list.filter(Boolean).slice(1));
}

function main(): void {
  const [dir, prefix, filter = '', count = '20'] = process.argv.slice(2);
  if (!dir || !prefix)
    throw new Error('usage: profileTop <dir> <name prefix> [path filter] [count]');
  const selfTime = new Map<string, number>();
  let total = 0;
  const files = measuredProfiles(dir, prefix);
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const ownWork = profilerFrames(profile.nodes);
    profile.samples.forEach((id, index) => {
      const weight = profile.timeDeltas[index] ?? 0;
      const frame = nodes.get(id)?.callFrame;
      if (!frame || ownWork.has(id)) return;
      const key = `${shortUrl(frame.url) || '(native)'}:${frame.functionName || '(anonymous)'}`;
      selfTime.set(key, (selfTime.get(key) ?? 0) + weight);
      total += weight;
    });
  }
  const rows = [...selfTime.entries()]
    .filter(([key]) => key.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(count));
  process.stdout.write(`${files.length} profiles, ${(total / 1000).toFixed(0)} ms sampled\n`);
  for (const [key, time] of rows)
    process.stdout.write(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}\n`);
}

main();
