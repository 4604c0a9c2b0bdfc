import { call, load } from '../api.js';
import { announce } from '../announcer.js';
import { append, byId, el } from '../dom.js';
import { subjectOf } from '../format.js';
import type { LiveState } from '../LiveState.js';
import type { ErrorBody, GenerationRecord, WorkflowDescription } from '../wire.js';
import { GenerationCard } from './GenerationCard.js';
import { ParameterField } from './ParameterField.js';

/**
 * A form generated from a workflow's definition (live choices read when it is picked); it runs
 * a generation and follows it here with the same card as Live. Problems come back in words,
 * beside their fields and in a summary that takes the focus.
 */
export class TryItView {
  readonly #form = byId<HTMLFormElement>('try-form');
  readonly #picker = byId<HTMLSelectElement>('try-workflow');
  readonly #description = byId('try-workflow-description');
  readonly #summary = byId('try-summary');
  readonly #fieldsBox = byId('try-fields');
  readonly #submit = byId<HTMLButtonElement>('try-submit');
  readonly #results = byId<HTMLOListElement>('try-result');
  readonly #cards = new Map<string, GenerationCard>();
  readonly #titleOf: (workflow: string | undefined) => string;
  readonly #live: LiveState;
  #fields: ParameterField[] = [];
  #more: HTMLDetailsElement | undefined;

  constructor(
    workflows: readonly WorkflowDescription[],
    live: LiveState,
    titleOf: (workflow: string | undefined) => string,
  ) {
    this.#titleOf = titleOf;
    this.#live = live;
    for (const workflow of workflows)
      this.#picker.append(el('option', { value: workflow.id }, workflow.title));
    this.#picker.addEventListener('change', () => void this.#pick(this.#picker.value));
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#run();
    });
    live.listen((change) => {
      if (change.kind !== 'generation') return;
      const { record } = change.generation;
      const card = this.#cards.get(record.id);
      if (!card) return;
      card.update(change.generation, titleOf);
      if (change.event === 'started') announce(`Your generation started: ${subjectOf(record)}`);
      if (change.event === 'succeeded') announce(`Your generation is done: ${subjectOf(record)}`);
      if (change.event === 'failed')
        announce(`Your generation failed: ${record.error?.message ?? ''}`);
    });
    if (workflows[0]) void this.#pick(workflows[0].id);
  }

  async #pick(id: string): Promise<void> {
    const { workflow } = await load<{ workflow: WorkflowDescription }>(
      `/api/workflows/${encodeURIComponent(id)}`,
    );
    if (this.#picker.value !== id) return; // another was picked meanwhile
    this.#description.textContent = workflow.description;
    this.#fields = workflow.parameters.map((spec) => new ParameterField(spec));
    // What must be given comes first; the rest, with its defaults, one click away.
    const more = this.#fields.filter((field) => !field.required);
    this.#more = el(
      'details',
      { class: 'more' },
      el('summary', {}, `More settings (${more.length})`),
      ...more.map((field) => field.element),
    );
    this.#fieldsBox.replaceChildren(
      ...this.#fields.filter((field) => field.required).map((field) => field.element),
      ...(more.length > 0 ? [this.#more] : []),
    );
    this.#showProblems(undefined);
  }

  async #run(): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const field of this.#fields) {
      const value = await field.read();
      if (value !== undefined) values[field.name] = value;
    }
    this.#submit.disabled = true;
    const answer = await call<{ generation: GenerationRecord }>('POST', '/api/generations', {
      workflow: this.#picker.value,
      values,
    }).finally(() => (this.#submit.disabled = false));
    if (!answer.ok) return this.#showProblems(answer.body);
    this.#showProblems(undefined);
    const record = answer.body.generation;
    // Its first events may have come over the stream before this answer.
    const card = new GenerationCard(
      this.#live.generations.get(record.id) ?? { record },
      this.#titleOf,
      'try',
    );
    this.#cards.set(record.id, card);
    this.#results.prepend(card.element);
    announce(`Submitted: ${subjectOf(record)}`);
  }

  #showProblems(body: ErrorBody | undefined): void {
    const byField = new Map(
      (body?.problems ?? []).map((problem) => [problem.parameter, problem.message]),
    );
    for (const field of this.#fields) field.showProblem(byField.get(field.name));
    if (this.#more && this.#fields.some((field) => !field.required && byField.has(field.name)))
      this.#more.open = true;
    this.#summary.hidden = body === undefined;
    if (body === undefined) return this.#summary.replaceChildren();
    const list = el('ul');
    for (const problem of body.problems ?? []) {
      const field = this.#fields.find((candidate) => candidate.name === problem.parameter);
      append(list, el('li', {}, field ? linkTo(field, problem.message) : problem.message));
    }
    this.#summary.replaceChildren(
      el('p', {}, body.problems?.length ? 'Please fix these and try again:' : body.message),
      list,
    );
    this.#summary.focus();
  }
}

function linkTo(field: ParameterField, text: string): HTMLAnchorElement {
  const link = el('a', { href: `#${field.control.id}` }, text);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    field.control.focus();
  });
  return link;
}
