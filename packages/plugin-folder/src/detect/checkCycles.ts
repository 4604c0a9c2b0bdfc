import { describeNode } from './describeNode.js';
import type { GraphIndex } from './GraphIndex.js';
import type { WorkflowProblem } from './WorkflowProblem.js';

/** A node that (through others) takes its own output can never run: name the loop. */
export function checkCycles(index: GraphIndex): WorkflowProblem[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const problems: WorkflowProblem[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    path.push(id);
    for (const link of index.linksInto(id)) {
      if (!index.node(link.from)) continue;
      const seen = state.get(link.from);
      if (seen === 'visiting') return [...path.slice(path.indexOf(link.from)), link.from];
      if (seen === undefined) {
        const loop = visit(link.from);
        if (loop) return loop;
      }
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of index.ids) {
    if (state.has(id)) continue;
    const loop = visit(id);
    if (!loop) continue;
    // Walked against the links: reverse to read in the direction data flows.
    const flow = [...loop].reverse();
    problems.push({
      code: 'cycle',
      severity: 'error',
      node: flow[0] as string,
      message: `${flow.map((n) => describeNode(n, index.node(n))).join(' → ')}: these nodes depend on each other in a loop, which ComfyUI cannot run`,
    });
    // One loop is enough to explain; mark the rest of the graph so we do not report it again.
    for (const n of index.ids) state.set(n, 'done');
    path.length = 0;
  }
  return problems;
}
