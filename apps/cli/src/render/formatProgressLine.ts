import { phaseWithoutStep } from './displayPath.js';

export type LineStatus =
  | 'waiting'
  | 'submitted'
  | 'queued'
  | 'running'
  | 'downloading'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** What the live view knows about one generation. */
export interface LineState {
  index: number;
  /** What the line is, when not the run's own generation: "upscale of #1". */
  label?: string;
  status: LineStatus;
  position?: number;
  fraction: number;
  step?: number;
  stepTotal?: number;
  phase?: string;
  /** Saved files, as shown to the user. */
  outputs?: string[];
  error?: string;
}

export const BAR_WIDTH = 20;

/**
 * One generation's line: "#2  queued, position 1", "#1  [████░░…]  40%  step 2/5  sampling",
 * "#1  done  outputs/a.png", "#3  upscale of #1: done  outputs/b.png". Cut to `width` columns
 * while it is redrawn (a wrapped line would break the redraw); the last draw passes Infinity.
 */
export function formatProgressLine(state: LineState, width: number, labelWidth = 0): string {
  const label = `#${state.index}`.padEnd(labelWidth);
  const what = state.label ? `${state.label}: ` : '';
  return fit(`${label}  ${what}${describe(state)}`, width);
}

function describe(state: LineState): string {
  switch (state.status) {
    case 'waiting':
      return 'waiting';
    case 'submitted':
      return 'submitting';
    case 'queued':
      return state.position !== undefined && state.position > 0
        ? `queued, position ${state.position}`
        : 'starting';
    case 'running': {
      const parts = [bar(state.fraction), percent(state.fraction)];
      if (state.step !== undefined && state.stepTotal !== undefined)
        parts.push(`step ${state.step}/${state.stepTotal}`);
      const phase = state.phase && phaseWithoutStep(state.phase, state.step, state.stepTotal);
      if (phase) parts.push(phase);
      return parts.join('  ');
    }
    case 'downloading':
      return `${bar(1)}  ${percent(1)}  downloading outputs`;
    case 'succeeded':
      return `done  ${(state.outputs ?? []).join(', ') || '(no files)'}`;
    case 'failed':
      return `failed  ${state.error ?? ''}`.trimEnd();
    case 'cancelled':
      return 'cancelled';
  }
}

export function bar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(clamp(fraction) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function percent(fraction: number): string {
  return `${Math.floor(clamp(fraction) * 100)}%`.padStart(4);
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}

function fit(line: string, width: number): string {
  const chars = [...line];
  if (chars.length <= width) return line;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
