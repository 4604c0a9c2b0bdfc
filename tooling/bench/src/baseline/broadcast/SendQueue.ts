export interface QueuedEvent<E> {
  event: E;
  key: string | undefined;
  /** drained() generation this slot belongs to; see Subscriber. */
  gen: number;
  prev: QueuedEvent<E> | undefined;
  next: QueuedEvent<E> | undefined;
}

/**
 * Bounded FIFO with O(1) coalescing. A doubly linked list (rather than a ring buffer) lets a
 * superseded event be unlinked from the middle, so the newer one is appended at the tail and
 * a subscriber always sees a subsequence of the publish order.
 */
export class SendQueue<E> {
  #head: QueuedEvent<E> | undefined;
  #tail: QueuedEvent<E> | undefined;
  #size = 0;
  readonly #byKey = new Map<string, QueuedEvent<E>>();

  get size(): number {
    return this.#size;
  }

  /** Returns false, changing nothing, when the event would grow the queue past `limit`. */
  push(event: E, key: string | undefined, gen: number, limit: number): boolean {
    if (key !== undefined) {
      const superseded = this.#byKey.get(key);
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
    this.#byKey.clear();
  }

  #append(node: QueuedEvent<E>): void {
    node.prev = this.#tail;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#size++;
    if (node.key !== undefined) this.#byKey.set(node.key, node);
  }

  #unlink(node: QueuedEvent<E>): void {
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.#size--;
    if (node.key !== undefined) this.#byKey.delete(node.key);
  }
}
