import { el, setText } from '../dom.js';
import type { ParameterDescription } from '../wire.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * One parameter of the Try-it form, from its schema: the right control, its label, a hint with
 * the default and limits, and a place for its problem in words. Left empty, it takes the
 * default (as a bot command with the option left out does).
 */
export class ParameterField {
  readonly element: HTMLDivElement;
  readonly control: Control;
  readonly #spec: ParameterDescription;
  readonly #problem: HTMLParagraphElement;

  constructor(spec: ParameterDescription) {
    this.#spec = spec;
    const id = `try-${spec.name}`;
    const hintId = `${id}-hint`;
    const problemId = `${id}-problem`;
    this.control = controlFor(spec);
    this.control.id = id;
    this.control.name = spec.name;
    this.control.setAttribute('aria-describedby', `${hintId} ${problemId}`);
    if (spec.required) this.control.setAttribute('aria-required', 'true');
    this.#problem = el('p', { id: problemId, class: 'field-error', hidden: true });
    this.element = el(
      'div',
      { class: 'field' },
      el('label', { for: id }, spec.name, spec.required ? ' (required)' : ''),
      this.control,
      el('p', { id: hintId, class: 'hint' }, hintFor(spec)),
      this.#problem,
    );
  }

  get name(): string {
    return this.#spec.name;
  }

  get required(): boolean {
    return this.#spec.required;
  }

  /** The value to send, or undefined to leave it to the default. */
  async read(): Promise<unknown> {
    const control = this.control;
    if (control instanceof HTMLInputElement && control.type === 'file') {
      const file = control.files?.[0];
      return file && { filename: file.name, base64: toBase64(await file.arrayBuffer()) };
    }
    return control.value === '' ? undefined : control.value;
  }

  showProblem(message: string | undefined): void {
    this.#problem.hidden = message === undefined;
    setText(this.#problem, message ?? '');
    if (message === undefined) this.control.removeAttribute('aria-invalid');
    else this.control.setAttribute('aria-invalid', 'true');
  }
}

function controlFor(spec: ParameterDescription): Control {
  if (spec.choices !== undefined && spec.choices.length > 0) {
    const select = el('select');
    const first =
      spec.default !== undefined
        ? `Default (${String(spec.default)})`
        : spec.required
          ? 'Choose…'
          : 'None';
    select.append(el('option', { value: '' }, first));
    for (const choice of spec.choices) select.append(el('option', { value: choice }, choice));
    return select;
  }
  switch (spec.type) {
    case 'boolean': {
      const select = el('select');
      const fallback =
        spec.default === undefined ? 'Default' : `Default (${spec.default ? 'yes' : 'no'})`;
      select.append(
        el('option', { value: '' }, fallback),
        el('option', { value: 'true' }, 'Yes'),
        el('option', { value: 'false' }, 'No'),
      );
      return select;
    }
    case 'integer':
    case 'seed':
    case 'number':
      return el('input', {
        type: 'number',
        inputmode: spec.type === 'number' ? 'decimal' : 'numeric',
        min: spec.min,
        max: spec.max,
        step: spec.type === 'number' ? 'any' : (spec.multipleOf ?? 1),
        placeholder:
          spec.default !== undefined
            ? String(spec.default)
            : spec.type === 'seed'
              ? 'random'
              : undefined,
      });
    case 'image':
      return el('input', { type: 'file', accept: 'image/*' });
    default: {
      const long =
        spec.name === 'prompt' || spec.name === 'negative' || (spec.maxLength ?? 0) > 200;
      const attributes = {
        maxlength: spec.maxLength,
        placeholder:
          typeof spec.default === 'string' && spec.default !== '' ? spec.default : undefined,
      };
      return long
        ? el('textarea', { rows: 3, ...attributes })
        : el('input', { type: 'text', ...attributes });
    }
  }
}

function hintFor(spec: ParameterDescription): string {
  const parts: string[] = [];
  if (spec.description) parts.push(spec.description);
  if (spec.default !== undefined && spec.default !== '')
    parts.push(`default ${String(spec.default)}`);
  if (spec.min !== undefined && spec.max !== undefined) parts.push(`${spec.min} to ${spec.max}`);
  else if (spec.min !== undefined) parts.push(`at least ${spec.min}`);
  else if (spec.max !== undefined) parts.push(`at most ${spec.max}`);
  if (spec.liveChoices && spec.choices)
    parts.push(`${spec.choices.length} available on the servers now`);
  if (spec.choicesProblem) parts.push(`choices unknown: ${spec.choicesProblem}`);
  return parts.join(' · ');
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
