import { bold, escapeText, subtle, type Markup } from '../text/Markup.js';
import type { ProgressView } from './ProgressView.js';

/**
 * A progress view as message text in a platform's markup: the title (and who asked), the
 * status, then bar, step, time left and time so far on one line. User text is escaped.
 */
export function renderProgress(view: ProgressView, markup: Markup): string {
  const e = (text: string) => escapeText(text, markup);
  const head = bold(e(view.title), markup) + (view.requester ? ` - ${e(view.requester)}` : '');
  const details = [view.bar, view.step, view.eta, view.elapsed].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  const lines = [head, e(view.status)];
  if (details.length > 0) lines.push(subtle(e(details.join(' · ')), markup));
  return lines.filter((line) => line !== '').join('\n');
}
