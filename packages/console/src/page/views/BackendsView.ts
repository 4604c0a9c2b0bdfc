import { load } from '../api.js';
import { byId, el } from '../dom.js';
import { clock } from '../format.js';
import { reloader } from '../reloader.js';
import type { BackendDetails } from '../wire.js';

const MODEL_KINDS: Record<string, string> = {
  checkpoints: 'checkpoints',
  loras: 'LoRAs',
  diffusionModels: 'diffusion models',
  vaes: 'VAEs',
  textEncoders: 'text encoders',
  upscaleModels: 'upscale models',
};

/** Each ComfyUI server: state, queue, models, version, reconnects and recent errors. */
export class BackendsView {
  readonly #list = byId<HTMLUListElement>('backend-list');

  /** Read everything again (after a resync, or when a server (re)connected). */
  readonly refresh = reloader(async () => {
    const { backends } = await load<{ backends: BackendDetails[] }>('/api/backends');
    this.#list.replaceChildren(...backends.map((backend) => item(backend)));
  });

  /** A state change from the event stream, shown at once. */
  showState(id: string, state: string): void {
    const item = this.#list.querySelector<HTMLElement>(`[data-backend="${CSS.escape(id)}"]`);
    if (!item) return;
    item.dataset['state'] = state;
    const shown = item.querySelector('.state');
    if (shown) shown.textContent = state;
  }
}

function item(backend: BackendDetails): HTMLLIElement {
  const titleId = `backend-${backend.id}-title`;
  const models = Object.entries(backend.models);
  const summary = models
    .map(([kind, list]) => `${list.length} ${MODEL_KINDS[kind] ?? kind}`)
    .join(', ');
  return el(
    'li',
    { class: 'card', 'data-backend': backend.id, 'data-state': backend.state },
    el(
      'article',
      { 'aria-labelledby': titleId },
      el(
        'header',
        {},
        el('h3', { id: titleId }, backend.id),
        el('span', { class: 'status state' }, backend.state),
      ),
      el('p', { class: 'muted' }, backend.url),
      el(
        'dl',
        { class: 'parameters' },
        el('dt', {}, 'Queue'),
        el('dd', {}, `${backend.load} (ours: ${backend.tracked})`),
        el('dt', {}, 'Version'),
        el('dd', {}, backend.version ?? 'unknown'),
        el('dt', {}, 'Reconnects'),
        el('dd', {}, String(backend.reconnects)),
      ),
      models.length > 0 &&
        el(
          'details',
          {},
          el('summary', {}, `Models: ${summary}`),
          ...models.map(([kind, list]) =>
            el(
              'div',
              {},
              el('h4', {}, MODEL_KINDS[kind] ?? kind),
              el('ul', {}, ...list.map((name) => el('li', {}, name))),
            ),
          ),
        ),
      backend.recentErrors.length > 0 &&
        el(
          'details',
          {},
          el('summary', {}, `Recent errors (${backend.recentErrors.length})`),
          el(
            'ul',
            {},
            ...backend.recentErrors.map((e) =>
              el('li', {}, `${clock(e.at)} ${e.state}: ${e.reason}`),
            ),
          ),
        ),
      backend.problems.length > 0 &&
        el('p', { class: 'error' }, `Could not read: ${backend.problems.join('; ')}`),
    ),
  );
}
