import type { RunEvent } from '../run/RunEvent.js';
import type { RunRenderer } from './RunRenderer.js';

/** Several renderers at once (a live view on stderr, the results on stdout). */
export class TeeRenderer implements RunRenderer {
  constructor(private readonly renderers: RunRenderer[]) {}

  render(event: RunEvent): Promise<void> | void {
    const pending = this.renderers
      .map((renderer) => renderer.render(event))
      .filter((result) => result instanceof Promise);
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  async close(): Promise<void> {
    for (const renderer of this.renderers) await renderer.close();
  }

  printAbove(print: () => void): void {
    const live = this.renderers.find((renderer) => renderer.printAbove);
    if (live?.printAbove) live.printAbove(print);
    else print();
  }
}
