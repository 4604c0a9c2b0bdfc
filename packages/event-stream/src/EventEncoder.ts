/**
 * Encodes each event once, however many listeners send it: the same event object reaches
 * every listener's sink, so a WeakMap keyed by it turns N encodes into one.
 */
export class EventEncoder<E> {
  readonly #encode: (event: E) => string;
  readonly #cache = new WeakMap<object, string | null>();

  constructor(encode: (event: E) => string) {
    this.#encode = encode;
  }

  /** Returns null for an event that cannot be encoded; it is skipped rather than dropping every listener. */
  encode(event: E): string | null {
    const cacheable = (typeof event === 'object' && event !== null) || typeof event === 'function';
    if (cacheable) {
      const cached = this.#cache.get(event as object);
      if (cached !== undefined) return cached;
    }
    let text: string | null;
    try {
      const encoded: unknown = this.#encode(event);
      text = typeof encoded === 'string' ? encoded : null;
      if (text === null) warn(new TypeError(`encode() returned ${typeof encoded}, not a string`));
    } catch (error) {
      text = null;
      warn(error);
    }
    if (cacheable) this.#cache.set(event as object, text);
    return text;
  }
}

function warn(error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `event stream skipped an event it could not encode: ${detail}`,
    'EventStreamWarning',
  );
}
