import { call, outputUrl } from '../api.js';
import { el, setText } from '../dom.js';
import { clock, duration, ordinal, STATUS_WORDS, subjectOf, whoAsked } from '../format.js';
import type { LiveGeneration } from '../LiveState.js';
import { TERMINAL, type GenerationRecord } from '../wire.js';

/**
 * One generation as a card: who asked and where, state, place in the queue, a progress bar with
 * phase and ETA, the latest preview, the results, and a cancel button. Updated in place, so
 * keyboard focus (on its button) survives every progress event.
 */
export class GenerationCard {
  readonly element: HTMLLIElement;
  readonly #title = el('h3');
  readonly #status = el('span', { class: 'status' });
  readonly #subject = el('p', { class: 'subject' });
  readonly #who = el('p', { class: 'who muted' });
  readonly #lineage = el('p', { class: 'lineage muted', hidden: true });
  readonly #queue = el('p', { class: 'queue', hidden: true });
  readonly #progressRow = el('div', { class: 'progress', hidden: true });
  readonly #bar = el('progress', { max: 1, value: 0 });
  readonly #phase = el('span', { class: 'phase' });
  readonly #preview = el('img', { class: 'preview', hidden: true, alt: '' });
  readonly #images = el('div', { class: 'images' });
  readonly #error = el('p', { class: 'error', hidden: true });
  readonly #cancel = el('button', { type: 'button', class: 'secondary cancel' }, 'Cancel');
  #outputsShown = '';

  /** `idPrefix` keeps element ids unique when one generation has cards in two lists. */
  constructor(
    generation: LiveGeneration,
    titleOf: (workflow: string | undefined) => string,
    idPrefix = 'gen',
  ) {
    const id = generation.record.id;
    const titleId = `${idPrefix}-${id}-title`;
    this.#title.id = titleId;
    this.#phase.id = `${idPrefix}-${id}-phase`;
    this.#bar.setAttribute('aria-labelledby', titleId);
    this.#bar.setAttribute('aria-describedby', this.#phase.id);
    this.#progressRow.append(this.#bar, this.#phase);
    this.#images.append(this.#preview);
    this.element = el(
      'li',
      {
        class: 'card',
        id: `${idPrefix}-${id}`,
        'data-generation-id': id,
        'data-created-at': generation.record.createdAt,
      },
      el(
        'article',
        { 'aria-labelledby': titleId },
        el('header', {}, this.#title, this.#status),
        this.#subject,
        this.#who,
        this.#lineage,
        this.#queue,
        this.#progressRow,
        this.#error,
        this.#images,
        this.#cancel,
      ),
    );
    this.#cancel.addEventListener('click', () => void this.#cancelIt(id));
    this.update(generation, titleOf);
  }

  update(
    { record, preview }: LiveGeneration,
    titleOf: (workflow: string | undefined) => string,
  ): void {
    const finished = TERMINAL.has(record.status);
    this.element.dataset['status'] = record.status;
    setText(this.#title, titleOf(record.workflow));
    setText(this.#status, STATUS_WORDS[record.status]);
    setText(this.#subject, subjectOf(record));
    setText(this.#who, `${whoAsked(record.origin)} · ${clock(record.createdAt)}`);
    this.#showLineage(record);

    const waiting = record.status === 'queued' && record.position !== undefined;
    this.#queue.hidden = !waiting;
    if (waiting)
      setText(
        this.#queue,
        `${ordinal(record.position ?? 0)} in the queue · ${record.ahead ?? 0} ahead of it`,
      );

    const progress = record.progress;
    const running = record.status === 'running';
    this.#progressRow.hidden = !running;
    if (running && progress) {
      this.#bar.value = progress.fraction;
      const percent = `${Math.round(progress.fraction * 100)}%`;
      this.#bar.setAttribute('aria-valuetext', `${percent}, ${progress.phase}`);
      const eta = progress.etaMs !== undefined ? ` · about ${duration(progress.etaMs)} left` : '';
      setText(this.#phase, `${percent} · ${progress.phase}${eta}`);
    }

    this.#error.hidden = record.status !== 'failed' && record.status !== 'cancelled';
    setText(
      this.#error,
      record.status === 'cancelled' ? 'Cancelled.' : (record.error?.message ?? ''),
    );

    const showPreview = preview !== undefined && !finished;
    this.#preview.hidden = !showPreview;
    if (showPreview && this.#preview.getAttribute('src') !== preview) {
      this.#preview.src = preview;
      this.#preview.alt = `Latest preview of ${subjectOf(record)}`;
    }
    this.#showOutputs(record);

    this.#cancel.hidden = finished;
    this.#cancel.setAttribute('aria-label', `Cancel ${subjectOf(record)}`);
  }

  #showLineage(record: GenerationRecord): void {
    this.#lineage.hidden = record.parentId === undefined;
    if (record.parentId === undefined || this.#lineage.childElementCount > 0) return;
    this.#lineage.append(
      `${record.action ?? 'follow-up'} of `,
      el('a', { href: `#gen-${record.parentId}` }, `#${record.parentId.slice(0, 8)}`),
    );
  }

  #showOutputs(record: GenerationRecord): void {
    const outputs = record.outputs ?? [];
    const key = outputs.map((output) => output.file.filename).join('|');
    if (key === this.#outputsShown) return;
    this.#outputsShown = key;
    for (const old of this.#images.querySelectorAll('.output')) old.remove();
    outputs.forEach((output, index) => {
      const url = outputUrl(record.id, index);
      const label = `Result ${index + 1} of ${outputs.length}: ${subjectOf(record)}`;
      const media =
        output.kind === 'video'
          ? el('video', { src: url, controls: true, preload: 'metadata', 'aria-label': label })
          : el('img', { src: url, alt: label, loading: 'lazy' });
      this.#images.append(
        el('a', { class: 'output', href: url, target: '_blank', rel: 'noopener' }, media),
      );
    });
  }

  async #cancelIt(id: string): Promise<void> {
    this.#cancel.disabled = true;
    const answer = await call<{ cancelled: boolean }>(
      'DELETE',
      `/api/generations/${encodeURIComponent(id)}`,
    );
    this.#cancel.disabled = false;
    if (!answer.ok) {
      this.#error.hidden = false;
      setText(this.#error, answer.body.message);
    }
  }
}
