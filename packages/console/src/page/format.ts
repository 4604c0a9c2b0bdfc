import type { GenerationRecord, Origin, Status } from './wire.js';

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function duration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  return `${Math.round(seconds / 60)} min`;
}

export function clock(time: number): string {
  return new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "Ada on discord, in #art". */
export function whoAsked(origin: Origin | undefined): string {
  const who = origin?.displayName ?? origin?.userId ?? 'someone';
  const where = origin?.platform ?? 'an unknown frontend';
  return origin?.chatId ? `${who} on ${where}, in ${origin.chatId}` : `${who} on ${where}`;
}

export const STATUS_WORDS: Record<Status, string> = {
  submitted: 'Waiting',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What a generation is about, in a few words: its prompt, else its workflow. */
export function subjectOf(record: GenerationRecord): string {
  const prompt = record.parameters?.['prompt'];
  if (typeof prompt === 'string' && prompt !== '')
    return prompt.length > 80 ? `${prompt.slice(0, 77)}…` : prompt;
  return record.workflow ?? 'a generation';
}

export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
