/** What an item of a `LinkedList` carries: its own neighbours. */
export interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
}

/**
 * An intrusive doubly linked list: items carry their own `prev`/`next`, so one can be removed
 * from the middle or moved to the back in O(1) without a lookup. An item belongs to one list
 * at a time; walk it with `head` and `item.next`.
 */
export class LinkedList<T extends Linked<T>> {
  #head: T | undefined;
  #tail: T | undefined;
  #length = 0;

  get head(): T | undefined {
    return this.#head;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): T {
    item.prev = this.#tail;
    item.next = undefined;
    if (this.#tail) this.#tail.next = item;
    else this.#head = item;
    this.#tail = item;
    this.#length++;
    return item;
  }

  /** Puts `item` right after `after`, or at the front when `after` is undefined. */
  insertAfter(after: T | undefined, item: T): T {
    const next = after ? after.next : this.#head;
    item.prev = after;
    item.next = next;
    if (after) after.next = item;
    else this.#head = item;
    if (next) next.prev = item;
    else this.#tail = item;
    this.#length++;
    return item;
  }

  remove(item: T): void {
    if (item.prev) item.prev.next = item.next;
    else this.#head = item.next;
    if (item.next) item.next.prev = item.prev;
    else this.#tail = item.prev;
    item.prev = item.next = undefined;
    this.#length--;
  }

  moveToBack(item: T): void {
    if (item === this.#tail) return;
    this.remove(item);
    this.push(item);
  }
}
