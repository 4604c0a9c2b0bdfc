interface Entry<K, V> {
  key: K;
  value: V;
  prev: Entry<K, V> | undefined;
  next: Entry<K, V> | undefined;
}

/**
 * A map whose keys keep the order they were last set in, with the oldest one at hand in O(1).
 *
 * A plain `Map` keeps that order too, but asking it for its first key after deleting from its
 * front walks past every entry deleted since V8 last rehashed it: "forget the oldest" done once
 * per insertion costs O(n) each time, O(n²) for a burst. Here the order is a linked list beside
 * the index, so `set`, `delete`, `first` and `shift` are O(1) however many came and went.
 */
export class OrderedMap<K, V> {
  readonly #index = new Map<K, Entry<K, V>>();
  #head: Entry<K, V> | undefined;
  #tail: Entry<K, V> | undefined;

  get size(): number {
    return this.#index.size;
  }

  has(key: K): boolean {
    return this.#index.has(key);
  }

  get(key: K): V | undefined {
    return this.#index.get(key)?.value;
  }

  /** Set `key` and make it the newest (a key already there moves to the back). */
  set(key: K, value: V): void {
    const existing = this.#index.get(key);
    if (existing) {
      existing.value = value;
      if (existing === this.#tail) return;
      this.#unlink(existing);
      this.#append(existing);
      return;
    }
    const entry: Entry<K, V> = { key, value, prev: undefined, next: undefined };
    this.#index.set(key, entry);
    this.#append(entry);
  }

  delete(key: K): boolean {
    const entry = this.#index.get(key);
    if (!entry) return false;
    this.#index.delete(key);
    this.#unlink(entry);
    return true;
  }

  /** The oldest key, or undefined when empty. */
  firstKey(): K | undefined {
    return this.#head?.key;
  }

  /** The oldest value, or undefined when empty. */
  firstValue(): V | undefined {
    return this.#head?.value;
  }

  /** Remove the oldest key and return it (undefined when empty). */
  shift(): K | undefined {
    const entry = this.#head;
    if (!entry) return undefined;
    this.#index.delete(entry.key);
    this.#unlink(entry);
    return entry.key;
  }

  clear(): void {
    this.#index.clear();
    this.#head = this.#tail = undefined;
  }

  /** Oldest first (the map must not change while this is read). */
  *keys(): IterableIterator<K> {
    for (let entry = this.#head; entry; entry = entry.next) yield entry.key;
  }

  #append(entry: Entry<K, V>): void {
    entry.prev = this.#tail;
    entry.next = undefined;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
  }

  #unlink(entry: Entry<K, V>): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = undefined;
  }
}
