import { load, outputUrl } from '../api.js';
import { byId, el } from '../dom.js';
import { clock, STATUS_WORDS, subjectOf, valueText, whoAsked } from '../format.js';
import { reloader } from '../reloader.js';
import type { GenerationRecord } from '../wire.js';

const PAGE = 20;

interface HistoryPage {
  generations: GenerationRecord[];
  before: number | null;
}

/** Recent results from the store, with their parameters and lineage (reroll, upscale …). */
export class HistoryView {
  readonly #list = byId<HTMLOListElement>('history-list');
  readonly #more = byId<HTMLButtonElement>('history-more');
  readonly #empty = byId('history-empty');
  readonly #titleOf: (workflow: string | undefined) => string;
  #before: number | null = null;
  /** Reload the newest page (a generation finished). */
  readonly refresh = reloader(() => this.#loadNewest());

  constructor(titleOf: (workflow: string | undefined) => string) {
    this.#titleOf = titleOf;
    this.#more.addEventListener('click', () => void this.#loadOlder());
  }

  async #loadNewest(): Promise<void> {
    const page = await load<HistoryPage>(`/api/generations?finished=true&limit=${PAGE}`);
    this.#list.replaceChildren(...page.generations.map((record) => this.#item(record)));
    this.#empty.hidden = page.generations.length > 0;
    this.#setBefore(page.before);
  }

  async #loadOlder(): Promise<void> {
    if (this.#before === null) return;
    const page = await load<HistoryPage>(
      `/api/generations?finished=true&limit=${PAGE}&before=${this.#before}`,
    );
    this.#list.append(...page.generations.map((record) => this.#item(record)));
    this.#setBefore(page.before);
  }

  #setBefore(before: number | null): void {
    this.#before = before;
    this.#more.hidden = before === null;
  }

  #item(record: GenerationRecord): HTMLLIElement {
    const titleId = `history-${record.id}-title`;
    const first = record.outputs?.[0];
    const parameters = el('dl', { class: 'parameters' });
    for (const [name, value] of Object.entries(record.parameters ?? {}))
      parameters.append(el('dt', {}, name), el('dd', {}, valueText(value)));
    return el(
      'li',
      {
        class: 'card',
        id: `history-${record.id}`,
        'data-status': record.status,
        'data-generation-id': record.id,
      },
      el(
        'article',
        { 'aria-labelledby': titleId },
        el(
          'header',
          {},
          el('h3', { id: titleId }, this.#titleOf(record.workflow)),
          el('span', { class: 'status' }, STATUS_WORDS[record.status]),
        ),
        el('p', {}, subjectOf(record)),
        el('p', { class: 'muted' }, `${whoAsked(record.origin)} · ${clock(record.createdAt)}`),
        record.parentId !== undefined &&
          el(
            'p',
            { class: 'lineage muted' },
            `${record.action ?? 'follow-up'} of `,
            el('a', { href: `#history-${record.parentId}` }, `#${record.parentId.slice(0, 8)}`),
          ),
        record.error && el('p', { class: 'error' }, record.error.message),
        first &&
          first.kind !== 'video' &&
          el(
            'div',
            { class: 'images' },
            el(
              'a',
              { href: outputUrl(record.id, 0), target: '_blank', rel: 'noopener' },
              el('img', {
                src: outputUrl(record.id, 0),
                alt: `Result of ${subjectOf(record)}`,
                loading: 'lazy',
              }),
            ),
          ),
        el('details', {}, el('summary', {}, 'Parameters'), parameters),
      ),
    );
  }
}
