export interface QueuedEvent<E> {
  event: E;
  key: string | undefined;
  /** drained() generation this slot belongs to; see Subscriber. */
  gen: number;
  prev: QueuedEvent<E> | undefined;
  next: QueuedEvent<E> | undefined;
}

/** Up to this many queued events, a superseded one is found by a walk rather than an index. */
const UNINDEXED = 8;

/**
 * Bounded FIFO with O(1) coalescing. A doubly linked list (rather than a ring buffer) lets a
 * superseded event be unlinked from the middle, so the newer one is appended at the tail and
 * a subscriber always sees a subsequence of the publish order. A queue of a few events (most
 * are: a subscriber keeps up) finds a superseded one by walking them; a longer one keeps an
 * index by key, made when it grows past `UNINDEXED` and dropped when it empties — so the
 * thousands of per-generation subscriptions hold no index each.
 */
export class SendQueue<E> {
  #head: QueuedEvent<E> | undefined;
  #tail: QueuedEvent<E> | undefined;
  #size = 0;
  #byKey: Map<string, QueuedEvent<E>> | undefined;

  get size(): number {
    return this.#size;
  }

  /** Returns false, changing nothing, when the event would grow the queue past `limit`. */
  push(event: E, key: string | undefined, gen: number, limit: number): boolean {
    if (key !== undefined) {
      const superseded = this.#find(key);
      if (superseded !== undefined) {
        this.#unlink(superseded);
        // The replacement inherits the generation so drained() still waits for it.
        this.#append({ event, key, gen: superseded.gen, prev: undefined, next: undefined });
        return true;
      }
    }
    if (this.#size >= limit) return false;
    this.#append({ event, key, gen, prev: undefined, next: undefined });
    return true;
  }

  shift(): QueuedEvent<E> | undefined {
    const node = this.#head;
    if (node !== undefined) this.#unlink(node);
    return node;
  }

  clear(): void {
    this.#head = undefined;
    this.#tail = undefined;
    this.#size = 0;
    this.#byKey = undefined;
  }

  /** The queued event with this key (there is at most one). */
  #find(key: string): QueuedEvent<E> | undefined {
    if (this.#byKey !== undefined) return this.#byKey.get(key);
    for (let node = this.#head; node !== undefined; node = node.next)
      if (node.key === key) return node;
    return undefined;
  }

  #append(node: QueuedEvent<E>): void {
    node.prev = this.#tail;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#size++;
    if (this.#byKey !== undefined) {
      if (node.key !== undefined) this.#byKey.set(node.key, node);
    } else if (this.#size > UNINDEXED) {
      const byKey = new Map<string, QueuedEvent<E>>();
      for (let queued = this.#head; queued !== undefined; queued = queued.next)
        if (queued.key !== undefined) byKey.set(queued.key, queued);
      this.#byKey = byKey;
    }
  }

  #unlink(node: QueuedEvent<E>): void {
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.#size--;
    if (this.#byKey === undefined) return;
    if (this.#size === 0) this.#byKey = undefined;
    else if (node.key !== undefined) this.#byKey.delete(node.key);
  }
}
