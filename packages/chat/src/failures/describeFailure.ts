import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import type { ChatFailure, ChatFailureCode } from './ChatFailure.js';

/** What to log about a failure: the whole reason, never shown to the user as it is. */
export interface FailureLogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface DescribedFailure {
  /** One sentence for the chat: no stack trace, no JSON. */
  text: string;
  log: FailureLogLine;
}

/** The user's own doing, or ours and ComfyUI's: decides the log level. */
const USER_CAUSED: ReadonlySet<ChatFailureCode> = new Set([
  'arguments',
  'validation',
  'limits',
  'cancelled',
  'not-found',
]);

/** Codes whose own sentence needs the reason as detail. */
const WITH_DETAIL: ReadonlySet<ChatFailureCode> = new Set([
  'arguments',
  'validation',
  'refused',
  'limits',
  'execution',
  'not-found',
  'too-large',
]);

/** A failure as a chat message and a log line. */
export function describeFailure(
  failure: ChatFailure,
  wording: Wording = englishWording,
): DescribedFailure {
  const detail = WITH_DETAIL.has(failure.code) ? safeDetail(failure) : undefined;
  const text = wording.failure({
    code: failure.code,
    detail,
    node: failure.node,
    nodeClass: failure.nodeClass,
    retryAfterMs: failure.retryAfterMs,
  });
  const level = USER_CAUSED.has(failure.code)
    ? 'info'
    : failure.code === 'internal'
      ? 'error'
      : 'warn';
  const fields: Record<string, unknown> = { code: failure.code, reason: failure.reason };
  if (failure.generationId !== undefined) fields['generation'] = failure.generationId;
  if (failure.node !== undefined) fields['node'] = failure.node;
  if (failure.nodeClass !== undefined) fields['nodeClass'] = failure.nodeClass;
  if (failure.cause instanceof Error && failure.cause.stack) fields['stack'] = failure.cause.stack;
  return { text, log: { level, message: `generation not delivered: ${failure.code}`, fields } };
}

const MAX_DETAIL = 200;

/**
 * The reason, fit for a chat: its first line, the node prefix core adds dropped (the sentence
 * names the node itself), nothing that looks like JSON or a trace, and short.
 */
function safeDetail(failure: ChatFailure): string | undefined {
  let text = failure.reason.split('\n')[0]?.trim() ?? '';
  text = text.replace(/^ComfyUI refused the workflow:\s*/i, '');
  if (failure.code === 'execution') text = text.replace(/^.*?\(node [^)]*\) failed:\s*/, '');
  if (text === '' || /[{}]|Traceback|\bat .+:\d+:\d+/.test(text)) return undefined;
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1).trimEnd()}…`;
}
