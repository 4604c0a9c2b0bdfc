import { writeTo, type OutputStream } from '../io.js';
import type { RunEvent } from '../run/RunEvent.js';
import type { RunRenderer } from './RunRenderer.js';

/** `--json`: one JSON object per line on stdout, nothing else there. */
export class JsonLines implements RunRenderer {
  constructor(private readonly stream: OutputStream) {}

  render(event: RunEvent): Promise<void> | void {
    if (event.type === 'downloading') return;
    return writeTo(this.stream, `${JSON.stringify(event)}\n`);
  }

  close(): void {}
}
