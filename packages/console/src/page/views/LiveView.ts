import { announce } from '../announcer.js';
import { byId, el, setText } from '../dom.js';
import { STATUS_WORDS, subjectOf, whoAsked } from '../format.js';
import type { Change, LiveGeneration, LiveState } from '../LiveState.js';
import { TERMINAL, type GenerationRecord } from '../wire.js';
import { GenerationCard } from './GenerationCard.js';

/** Moments worth a screen reader's words; progress ticks are not. */
const ANNOUNCED: ReadonlySet<string> = new Set([
  'submitted',
  'started',
  'succeeded',
  'failed',
  'cancelled',
]);

/** Every generation from every frontend, newest first, with filters. */
export class LiveView {
  readonly #list = byId<HTMLOListElement>('live-list');
  readonly #count = byId('live-count');
  readonly #state = byId<HTMLSelectElement>('filter-state');
  readonly #frontend = byId<HTMLSelectElement>('filter-frontend');
  readonly #workflow = byId<HTMLSelectElement>('filter-workflow');
  readonly #text = byId<HTMLInputElement>('filter-text');
  readonly #cards = new Map<string, GenerationCard>();
  readonly #live: LiveState;
  readonly #titleOf: (workflow: string | undefined) => string;

  constructor(live: LiveState, titleOf: (workflow: string | undefined) => string) {
    this.#live = live;
    this.#titleOf = titleOf;
    for (const filter of [this.#state, this.#frontend, this.#workflow, this.#text])
      filter.addEventListener('input', () => this.#applyFilters());
    live.listen((change) => this.#onChange(change));
  }

  #onChange(change: Change): void {
    if (change.kind === 'resynced') {
      for (const [id, card] of this.#cards)
        if (!this.#live.generations.has(id)) {
          card.element.remove();
          this.#cards.delete(id);
        }
      return this.#applyFilters();
    }
    if (change.kind !== 'generation') return;
    const { generation, event } = change;
    const card = this.#cards.get(generation.record.id);
    if (card) card.update(generation, this.#titleOf);
    else this.#add(generation);
    if (ANNOUNCED.has(event)) this.#announce(generation.record, event);
    this.#applyFilters();
  }

  #add(generation: LiveGeneration): void {
    const card = new GenerationCard(generation, this.#titleOf);
    this.#cards.set(generation.record.id, card);
    const createdAt = generation.record.createdAt;
    const older = [...this.#list.children].find(
      (other) => Number((other as HTMLElement).dataset['createdAt']) < createdAt,
    );
    this.#list.insertBefore(card.element, older ?? null);
    addOption(this.#frontend, generation.record.origin?.platform);
    addOption(
      this.#workflow,
      generation.record.workflow,
      this.#titleOf(generation.record.workflow),
    );
  }

  #announce(record: GenerationRecord, event: string): void {
    const who = whoAsked(record.origin);
    if (event === 'submitted') announce(`New generation from ${who}: ${subjectOf(record)}`);
    else announce(`${STATUS_WORDS[record.status]}: ${subjectOf(record)} (${who})`);
  }

  #applyFilters(): void {
    let shown = 0;
    let waiting = 0;
    let running = 0;
    for (const [id, card] of this.#cards) {
      const record = this.#live.generations.get(id)?.record;
      if (!record) continue;
      if (record.status === 'running') running += 1;
      else if (!TERMINAL.has(record.status)) waiting += 1;
      const visible = this.#matches(record);
      card.element.hidden = !visible;
      if (visible) shown += 1;
    }
    setText(
      this.#count,
      `${running} running, ${waiting} waiting` +
        (shown === this.#cards.size ? '' : ` · showing ${shown} of ${this.#cards.size}`),
    );
  }

  #matches(record: GenerationRecord): boolean {
    const state = this.#state.value;
    if (state === 'running' && record.status !== 'running') return false;
    if (state === 'waiting' && (record.status === 'running' || TERMINAL.has(record.status)))
      return false;
    if (state === 'finished' && !TERMINAL.has(record.status)) return false;
    if (this.#frontend.value !== '' && record.origin?.platform !== this.#frontend.value)
      return false;
    if (this.#workflow.value !== '' && record.workflow !== this.#workflow.value) return false;
    const text = this.#text.value.trim().toLowerCase();
    if (text === '') return true;
    return `${subjectOf(record)} ${whoAsked(record.origin)}`.toLowerCase().includes(text);
  }
}

function addOption(select: HTMLSelectElement, value: string | undefined, label = value): void {
  if (value === undefined || [...select.options].some((option) => option.value === value)) return;
  select.append(el('option', { value }, label ?? value));
}
